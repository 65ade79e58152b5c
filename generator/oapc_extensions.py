"""What this project adds to openapi-python-client (exact pin), in one place.

* `DecimalProperty`: `type: string, format: decimal` becomes `decimal.Decimal` on the models. The stock
  generator keeps such fields as `str`; its type names come from Python classes, not templates, so the type is
  declared here and its behaviour lives in `templates/common/property_templates/decimal_property.py.jinja`.
* `LooseBoolProperty`, `LooseIntProperty`: a request's `bool`-or-`"true"` and `int`-or-digit-string unions,
  collapsed by spec_transform.collapse_loose_input_unions (formats sdk-loose-bool, sdk-loose-int), are `bool`
  and `int` on the models; `from_dict` still reads the string spellings (`property_templates/loose_*`).
* A field's own description: the stock generator gives a field that is a one-member allOf/anyOf of a `$ref`
  the component's description; here the field's own one wins (spec_transform.carry_descriptions puts it there).
* `SdkProject`: the stock `Project` with a template search path of several folders (spec-specific, common,
  stock; the stock ones also under `stock/` so an override can include the original), the generated-file
  header values, extra modules (signing, retries, wire helpers) the stock template list has no slot for, and
  extra project files beside pyproject.toml (LICENSE).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, ClassVar

import openapi_python_client
from attr import define, evolve, field
from attr import fields as fields_of
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from openapi_python_client import Project
from openapi_python_client import schema as oai
from openapi_python_client.parser.errors import PropertyError
from openapi_python_client.parser.properties.boolean import BooleanProperty
from openapi_python_client.parser.properties.enum_property import EnumProperty
from openapi_python_client.parser.properties.int import IntProperty
from openapi_python_client.parser.properties.protocol import (
    PropertyProtocol,
    Value,
    convert_example,
)
from openapi_python_client.strings import PythonCode, PythonIdentifier

PINNED_VERSION = "0.29.1"


@define
class DecimalProperty(PropertyProtocol):
    """A property of type decimal.Decimal, sent and received as a JSON string."""

    name: oai.UntrustedString
    required: bool
    default: Value | None
    python_name: PythonIdentifier
    description: oai.UntrustedString | None
    example: oai.UntrustedString | None = field(converter=convert_example)

    _type_string: ClassVar[str] = "Decimal"
    _json_type_string: ClassVar[str] = "str"
    template: ClassVar[str] = "decimal_property.py.jinja"
    _allowed_locations: ClassVar[set[oai.ParameterLocation]] = {
        oai.ParameterLocation.QUERY,
        oai.ParameterLocation.PATH,
        oai.ParameterLocation.HEADER,
    }

    @classmethod
    def build(
        cls,
        name: oai.UntrustedString,
        required: bool,
        default: Any,
        python_name: PythonIdentifier,
        description: oai.UntrustedString | None,
        example: Any,
    ) -> DecimalProperty | PropertyError:
        checked_default = cls.convert_value(default)
        if isinstance(checked_default, PropertyError):
            return checked_default
        return cls(
            name=name,
            required=required,
            default=checked_default,
            python_name=python_name,
            description=description,
            example=example,
        )

    @classmethod
    def convert_value(cls, value: Any) -> Value | PropertyError | None:
        if value is None or isinstance(value, Value):
            return value
        try:
            Decimal(str(value))
        except InvalidOperation:
            return PropertyError(f"Invalid decimal default: {value!r}")
        return Value(python_code=PythonCode(f"Decimal({str(value)!r})"), raw_value=value)

    def get_imports(self, *, prefix: str) -> set[str]:
        imports = super().get_imports(prefix=prefix)
        imports.update({"from decimal import Decimal", f"from {prefix}_wire import decimal_from_wire, decimal_to_wire, is_plain_decimal_text"})
        return imports


LOOSE_BOOL_FORMAT = "sdk-loose-bool"  # the values spec_transform writes
LOOSE_INT_FORMAT = "sdk-loose-int"


@define
class LooseBoolProperty(BooleanProperty):
    """`bool` on the model, sent as a JSON boolean; from_dict also reads `"true"`/`"false"`."""

    template: ClassVar[str] = "loose_bool_property.py.jinja"

    def get_imports(self, *, prefix: str) -> set[str]:
        imports = super().get_imports(prefix=prefix)
        imports.add(f"from {prefix}_wire import bool_from_wire")
        return imports


@define
class LooseIntProperty(IntProperty):
    """`int` on the model, sent as a JSON integer; from_dict also reads a string of digits."""

    template: ClassVar[str] = "loose_int_property.py.jinja"

    def get_imports(self, *, prefix: str) -> set[str]:
        imports = super().get_imports(prefix=prefix)
        imports.add(f"from {prefix}_wire import int_from_wire")
        return imports


@define
class EnumParamProperty(EnumProperty):
    """An enum endpoint parameter that also takes its Literal strings (`forced_mode="paper"`), converted by the
    enum module's `as_<enum>` before it is sent (`property_templates/enum_param_property.py.jinja`)."""

    template: ClassVar[str] = "enum_param_property.py.jinja"

    def get_base_type_string(self) -> PythonCode:
        return PythonCode(f"{self.class_info.name} | {self.class_info.name}Literal")

    def get_imports(self, *, prefix: str) -> set[str]:
        imports = super().get_imports(prefix=prefix)
        module = self.class_info.module_name
        imports.add(f"from {prefix}models.{module} import {self.class_info.name}Literal, as_{module}")
        return imports


def _rebuilt(prop: Any, cls: type) -> Any:
    """prop as an instance of cls, a subclass of its class with the same fields."""
    return cls(**{a.name.lstrip("_"): getattr(prop, a.name) for a in fields_of(type(prop)) if a.init})


_LOOSE = {LOOSE_BOOL_FORMAT: (BooleanProperty, LooseBoolProperty), LOOSE_INT_FORMAT: (IntProperty, LooseIntProperty)}


@contextmanager
def decimal_strings() -> Iterator[None]:
    """While active, `format: decimal` strings parse into DecimalProperty, the loose input formats into
    LooseBoolProperty/LooseIntProperty, and a `$ref` wrapped with a description keeps that description."""
    from openapi_python_client.parser import openapi as oapi_module  # noqa: PLC0415
    from openapi_python_client.parser import properties as props  # noqa: PLC0415
    from openapi_python_client.parser import responses as responses_module  # noqa: PLC0415

    if openapi_python_client.__version__ != PINNED_VERSION:
        raise RuntimeError(
            f"generator/oapc_extensions.py is written for openapi-python-client {PINNED_VERSION}, "
            f"found {openapi_python_client.__version__}; re-check the hook before changing the pin"
        )
    original = props._string_based_property

    def string_based_property(name: Any, required: bool, data: oai.Schema, config: Any) -> Any:
        if data.schema_format == "decimal":
            return DecimalProperty.build(
                name=name,
                required=required,
                default=data.default,
                python_name=PythonIdentifier(value=name, prefix=config.field_prefix),
                description=data.description,
                example=data.example,
            )
        return original(name=name, required=required, data=data, config=config)

    original_from_ref = props._property_from_ref

    def property_from_ref(**kwargs: Any) -> Any:
        prop, schemas = original_from_ref(**kwargs)
        parent = kwargs.get("parent")
        own = getattr(parent, "description", None)
        if own and not isinstance(prop, PropertyError):
            prop = evolve(prop, description=own)
        return prop, schemas

    original_from_data = props.property_from_data

    def property_from_data(*args: Any, **kwargs: Any) -> Any:
        prop, schemas = original_from_data(*args, **kwargs)
        data = kwargs.get("data", args[2] if len(args) > 2 else None)
        loose = _LOOSE.get(getattr(data, "schema_format", None) or "")
        if loose is not None and type(prop) is loose[0]:
            prop = _rebuilt(prop, loose[1])
        return prop, schemas

    def parameter_from_data(*args: Any, **kwargs: Any) -> Any:
        # openapi.py calls property_from_data for an operation's parameters only.
        prop, schemas = property_from_data(*args, **kwargs)
        if type(prop) is EnumProperty:
            prop = _rebuilt(prop, EnumParamProperty)
        return prop, schemas

    props._string_based_property = string_based_property
    props._property_from_ref = property_from_ref  # type: ignore[assignment]  # a keyword-only wrapper of the same function
    patched = [(m, m.property_from_data) for m in (props, oapi_module, responses_module)]
    for module, _ in patched:
        module.property_from_data = parameter_from_data if module is oapi_module else property_from_data  # type: ignore[attr-defined]
    try:
        yield
    finally:
        props._string_based_property = original
        props._property_from_ref = original_from_ref
        for module, before in patched:
            module.property_from_data = before  # type: ignore[attr-defined]


def required_as(prop: Any, python_name: str) -> Any:
    """prop as a required property bound to another local name: model.py.jinja builds an optional field's value
    with the required construct (no Unset branch) once it knows the key arrived."""
    return evolve(prop, required=True, python_name=PythonIdentifier(value=python_name, prefix=""))


class SdkProject(Project):
    """Stock Project + several template folders, a generated-file header and extra modules."""

    def __init__(
        self,
        *,
        template_dirs: tuple[Path, ...],
        extra_modules: dict[str, str],
        project_files: dict[str, str],
        generated_from: str,
        template_globals: dict[str, Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        stock = PackageLoader("openapi_python_client")
        self.env.loader = ChoiceLoader(
            [*(FileSystemLoader(str(d)) for d in template_dirs), PrefixLoader({"stock": stock}), stock]
        )
        self.env.globals.update(generated_from=generated_from, generator_version=PINNED_VERSION, **template_globals)
        self.env.globals["required_as"] = required_as
        self.extra_modules = extra_modules
        self.project_files = project_files

    def _create_package(self) -> None:
        super()._create_package()
        for relative, template_name in sorted(self.extra_modules.items()):
            target = self.package_dir / relative
            target.write_text(self.env.get_template(template_name).render(), encoding=self.config.file_encoding)

    def _build_metadata(self) -> None:
        super()._build_metadata()
        for relative, template_name in sorted(self.project_files.items()):
            target = self.project_dir / relative
            target.write_text(self.env.get_template(template_name).render(), encoding=self.config.file_encoding)
