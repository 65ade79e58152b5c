"""What the resource-style client of a package is made of, read off the spec: one resource per tag, one method
per operation, deprecations and auto-paging.

**Method names.** A resource is the operation's first tag (`smart_trades` -> `client.smart_trades`). Its method
for an operation is the operation's `x-method-name` if it has one, else the operationId by this rule:

1. split the operationId at `_`;
2. drop every word that is a word of the tag, in the tag's form or with a trailing `s` added or removed
   (`smart_trades` drops `smart`, `trade`, `trades`);
3. then drop a preposition (`to`, `of`, `for`, `from`, `by`, `in`, `on`, `with`) left at the end;
4. join the rest with `_`; if nothing is left, the method is the operationId itself.

`create_smart_trade` -> `create`, `list_smart_trades` -> `list`, `add_funds_to_smart_trade` -> `add_funds`,
`close_smart_trade_by_market` -> `close_by_market`, `get_reduce_funds_info` -> `get_reduce_funds_info`,
`list_smart_order_history` -> `list_history`. Generation fails if two operations of one resource get the same
method, or a method is not a Python identifier, is a keyword, or is a name the resource itself uses
(`with_raw_response`, `<method>_auto_paging` of a paged operation); `x-method-name` then settles it.

**Auto-paging** (`x-pagination` on a list operation whose success body is a JSON array):

- `{style: page, page_param: page, size_param: per_page}`: pages 1, 2, ... (from the caller's `page`);
- `{style: offset, offset_param: offset, size_param: limit}`: offset 0, then plus the items received;
- `{style: cursor, cursor_param: from, cursor_field: id, size_param: limit}`: the next request's `cursor_param`
  is the `cursor_field` (JSON name) of the last item received.

Iteration stops at an empty page or a page shorter than the page size (the caller's `size_param`, else the
parameter's documented `default`; with neither, only an empty page stops it).

**Deprecation.** A `deprecated: true` operation warns (`DeprecationWarning`) on every call; the message names
the operation of `x-replaced-by: <operationId>` when the operation has one.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PREPOSITIONS = frozenset({"to", "of", "for", "from", "by", "in", "on", "with"})
# Attribute names every resource class has besides its operation methods.
RESERVED = frozenset({"with_raw_response"})
PAGINATION_STYLES: dict[str, tuple[str, ...]] = {
    "page": ("page_param", "size_param"),
    "offset": ("offset_param", "size_param"),
    "cursor": ("cursor_param", "cursor_field", "size_param"),
}


class ResourceError(ValueError):
    """The spec does not give a clean resource surface (a clash, a bad x-pagination...)."""


def _forms(word: str) -> set[str]:
    return {word, word + "s", word[:-1] if word.endswith("s") else word}


def method_name(operation_id: str, tag: str) -> str:
    """The resource method of operation_id under tag, by the rule in this module's docstring."""
    tag_words = set().union(*(_forms(w) for w in tag.split("_") if w))
    words = [w for w in operation_id.split("_") if w and w not in tag_words]
    while words and words[-1] in PREPOSITIONS:
        words.pop()
    return "_".join(words) or operation_id


@dataclass(frozen=True)
class Pagination:
    style: str
    param: str  # the query parameter changed per page (page, offset or cursor)
    size_param: str
    default_size: int | None
    cursor_field: str | None = None

    def as_template(self) -> dict[str, Any]:
        return {
            "style": self.style,
            "param": self.param,
            "size_param": self.size_param,
            "default_size": self.default_size,
            "cursor_field": self.cursor_field,
        }


@dataclass(frozen=True)
class Operation:
    operation_id: str
    resource: str
    method: str
    http_method: str
    path: str
    deprecated: bool
    replaced_by: str | None
    pagination: Pagination | None

    def as_template(self) -> dict[str, Any]:
        return {
            "operation_id": self.operation_id,
            "resource": self.resource,
            "method": self.method,
            "http_method": self.http_method.upper(),
            "path": self.path,
            "deprecated": self.deprecated,
            "replaced_by": self.replaced_by,
            "pagination": self.pagination.as_template() if self.pagination else None,
        }


def _parameters(spec: dict[str, Any], item: dict[str, Any], op: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for param in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
        ref = param.get("$ref") if isinstance(param, dict) else None
        if isinstance(ref, str) and ref.startswith("#/components/parameters/"):
            param = spec.get("components", {}).get("parameters", {}).get(ref.rsplit("/", 1)[1], {})
        if isinstance(param, dict) and param.get("in") == "query":
            out[str(param.get("name"))] = param
    return out


def _pagination(where: str, raw: Any, params: dict[str, dict[str, Any]]) -> Pagination:
    if not isinstance(raw, dict) or raw.get("style") not in PAGINATION_STYLES:
        raise ResourceError(f"{where}: x-pagination needs a style of {sorted(PAGINATION_STYLES)}")
    style = str(raw["style"])
    keys = PAGINATION_STYLES[style]
    unknown = set(raw) - {"style", *keys}
    missing = [k for k in keys if not isinstance(raw.get(k), str)]
    if unknown or missing:
        raise ResourceError(f"{where}: x-pagination style {style} takes {['style', *keys]} (unknown {sorted(unknown)}, "
                            f"missing {missing})")
    param = str(raw[keys[0]])
    for name in (param, str(raw["size_param"])):
        if name not in params:
            raise ResourceError(f"{where}: x-pagination names {name!r}, not a query parameter of the operation")
    default = (params[str(raw["size_param"])].get("schema") or {}).get("default")
    return Pagination(
        style=style,
        param=param,
        size_param=str(raw["size_param"]),
        default_size=default if isinstance(default, int) else None,
        cursor_field=str(raw["cursor_field"]) if style == "cursor" else None,
    )


def operations(spec: dict[str, Any]) -> list[Operation]:
    """Every operation of spec with its resource and method; raises ResourceError on a clash."""
    out: list[Operation] = []
    ids = set()
    for path, item in (spec.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for http_method in HTTP_METHODS:
            op = item.get(http_method)
            if not isinstance(op, dict):
                continue
            operation_id = str(op["operationId"])
            ids.add(operation_id)
            tag = str((op.get("tags") or ["default"])[0])
            where = f"{http_method.upper()} {path} ({operation_id})"
            name = op.get("x-method-name") or method_name(operation_id, tag)
            raw_pagination = op.get("x-pagination")
            pagination = None if raw_pagination is None else _pagination(where, raw_pagination, _parameters(spec, item, op))
            replaced_by = op.get("x-replaced-by")
            out.append(
                Operation(
                    operation_id=operation_id,
                    resource=tag,
                    method=str(name),
                    http_method=http_method,
                    path=str(path),
                    deprecated=bool(op.get("deprecated", False)),
                    replaced_by=str(replaced_by) if replaced_by else None,
                    pagination=pagination,
                )
            )
    for operation in out:
        if operation.replaced_by is not None and operation.replaced_by not in ids:
            raise ResourceError(f"{operation.operation_id}: x-replaced-by {operation.replaced_by!r} is no operationId")
    _check_names(out)
    return out


def _check_names(ops: list[Operation]) -> None:
    by_resource: dict[str, dict[str, str]] = {}
    for op in ops:
        if not op.resource.isidentifier() or keyword.iskeyword(op.resource):
            raise ResourceError(f"{op.operation_id}: tag {op.resource!r} is not a Python identifier")
        taken = by_resource.setdefault(op.resource, {})
        names = [op.method] + ([op.method + "_auto_paging"] if op.pagination else [])
        for name in names:
            if not name.isidentifier() or keyword.iskeyword(name) or name in RESERVED or name.startswith("_"):
                raise ResourceError(f"{op.operation_id}: method name {name!r} is not usable; give x-method-name")
            if name in taken:
                raise ResourceError(
                    f"{op.operation_id}: method {op.resource}.{name} is {taken[name]}'s already; give x-method-name"
                )
            taken[name] = op.operation_id


def template_globals(spec: dict[str, Any]) -> dict[str, Any]:
    """What the templates read: `sdk_operations` (operationId -> details) and `sdk_resources` (tag -> its
    operationIds, in spec order)."""
    ops = operations(spec)
    resources: dict[str, list[str]] = {}
    for op in ops:
        resources.setdefault(op.resource, []).append(op.operation_id)
    return {
        "sdk_operations": {op.operation_id: op.as_template() for op in ops},
        "sdk_resources": resources,
    }
