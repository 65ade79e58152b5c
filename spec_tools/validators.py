"""One way to build a Draft 2020-12 validator for any schema of a spec, named by JSON pointer.

Shared here (every caller wants it, whoever parsed the instance): the registry of spec_tools.refs (one per
document, so `$ref`s inside the spec resolve), the Draft 2020-12 dialect, and a format checker that knows
OpenAPI's own integer formats (`int32`, `int64`) besides JSON Schema's. A caller with its own reading of
instances passes its validator class and format checker: the reference server parses request numbers as
`Decimal` and extends the class with exact-decimal bounds and a Decimal-aware `integer`, and checks
`date-time` with the RFC 3339 parser its list filters share (reference_server/spec_validation.py). Those
are no-ops or server wording for instances loaded from YAML or JSON with floats, so they stay there.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]

from .refs import SPEC_URI, pointer, registry

_INT_RANGES = {"int32": 2**31, "int64": 2**63}


def _format_checker() -> FormatChecker:
    checker = FormatChecker()  # every format jsonschema knows (date-time needs rfc3339-validator)
    for name, limit in _INT_RANGES.items():

        def in_range(value: object, limit: int = limit) -> bool:
            if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
                return True  # a format constrains only the instances of its type
            return -limit <= value <= limit - 1

        checker.checks(name)(in_range)
    return checker


FORMAT_CHECKER: FormatChecker = _format_checker()


def validator_at(
    spec: dict[str, Any],
    json_pointer: str,
    *,
    cls: Any = Draft202012Validator,
    format_checker: FormatChecker | None = FORMAT_CHECKER,
    uri: str = SPEC_URI,
) -> Any:
    """A validator (an instance of cls, Draft 2020-12 by default) for the schema at json_pointer
    (`/components/schemas/SmartTrade`, with or without a leading `#`), every `$ref` resolvable."""
    target = "/" + json_pointer.removeprefix("#").removeprefix("/")
    return cls(
        {"$ref": f"{uri}#{target}"},
        registry=registry(spec, uri),
        format_checker=format_checker,
    )


def schema_validator(spec: dict[str, Any], component: str, **options: Any) -> Any:
    """A validator for one component schema (`#/components/schemas/<component>`)."""
    return validator_at(spec, pointer("components", "schemas", component), **options)
