"""The one `$ref` resolver of the project: local JSON pointers (`#/components/schemas/X`).

`resolve` follows a chain of `$ref`s to the node it ends at (sibling keys of a `$ref` are dropped, as
the walkers of this package have always done); `lookup` reads one JSON pointer; `refs` lists every
`$ref` of a document. `registry` is the `referencing.Registry` jsonschema needs to follow the same
pointers, built once per spec document.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_URI = "urn:spec"
_REGISTRY_CACHE_SIZE = 16


class RefError(KeyError):
    """A `$ref` or a JSON pointer that leads nowhere: not local, missing, or a cycle."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unresolvable $ref"


def escape(token: str) -> str:
    """One JSON pointer reference token (RFC 6901): `~` -> `~0`, `/` -> `~1`."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def pointer(*tokens: str | int) -> str:
    """A JSON pointer from unescaped tokens: `pointer("paths", "/v2/x", "get")` == `/paths/~1v2~1x/get`."""
    return "".join(f"/{escape(str(token))}" for token in tokens)


def split(json_pointer: str) -> list[str]:
    """The unescaped tokens of a JSON pointer, with or without its leading `#` or `/`."""
    body = json_pointer.removeprefix("#").removeprefix("/")
    return [unescape(token) for token in body.split("/")] if body else []


def lookup(document: Any, json_pointer: str) -> Any:
    """The node a JSON pointer names in document; RefError when there is none."""
    node = document
    for token in split(json_pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isascii() and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise RefError(f"unresolvable pointer {json_pointer!r}: no {token!r}")
    return node


def resolve(document: Any, node: Any) -> Any:
    """Follow `$ref` until a node without one. Only local refs (`#/...`) are followed; a ref that is not
    local, leads nowhere or comes back to itself raises RefError."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise RefError(f"unresolvable $ref {ref!r}: only local JSON pointers are followed")
        if ref in seen:
            raise RefError(f"unresolvable $ref {ref!r}: a cycle ({' -> '.join(sorted(seen))})")
        seen.add(ref)
        node = lookup(document, ref)
    return node


def resolves(document: Any, ref: str) -> bool:
    try:
        resolve(document, {"$ref": ref})
    except RefError:
        return False
    return True


def refs(node: Any) -> Iterator[str]:
    """Every `$ref` string under node, in document order."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


# (id(document), uri) -> (document, registry). The document is held so its id is not reused while cached;
# the cache is small because tests build many short-lived copies.
_registries: OrderedDict[tuple[int, str], tuple[Any, Registry[Any]]] = OrderedDict()


def registry(document: dict[str, Any], uri: str = SPEC_URI) -> Registry[Any]:
    """The registry under which `{uri}#<pointer>` resolves into document (Draft 2020-12), built once per
    document. The registry reads the document itself, not a copy."""
    key = (id(document), uri)
    cached = _registries.get(key)
    if cached is not None and cached[0] is document:
        _registries.move_to_end(key)
        return cached[1]
    built: Registry[Any] = Registry().with_resource(uri, DRAFT202012.create_resource(document))
    _registries[key] = (document, built)
    while len(_registries) > _REGISTRY_CACHE_SIZE:
        _registries.popitem(last=False)
    return built
