"""Request parameters as the real API reads them: query string, form body with Rails bracket keys,
or a JSON body; the query string wins over the body."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from .errors import ApiError

_KEY_PART = re.compile(r"\[([^\[\]]*)\]")


class ParamsError(ApiError):
    def __init__(self, description: str) -> None:
        super().__init__(400, "Wrong param(s)", description)


def _split_key(key: str) -> list[str] | None:
    """`position[units][value]` → ["position", "units", "value"]; None when malformed."""
    head, sep, rest = key.partition("[")
    if not sep:
        return [key]
    rest = "[" + rest
    parts = _KEY_PART.findall(rest)
    if not head or "".join(f"[{p}]" for p in parts) != rest:
        return None
    return [head, *parts]


def _has_path(node: Any, parts: list[str]) -> bool:
    for part in parts:
        if part == "" or not isinstance(node, dict) or part not in node:
            return part == "" and isinstance(node, list)
        node = node[part]
    return True


def _assign(target: dict[str, Any], parts: list[str], value: str) -> None:
    node: Any = target
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        nxt = None if last else parts[index + 1]
        if part == "":
            # Rails `[]`: append, or start a new element when the current one already has the key.
            if not isinstance(node, list):
                raise ParamsError("Conflicting parameter names")
            if last:
                node.append(value)
                return
            # Rails starts a new element when the last one already holds this whole key path.
            rest = parts[index + 1 :]
            if not node or not isinstance(node[-1], dict) or _has_path(node[-1], rest):
                node.append({})
            node = node[-1]
            continue
        if not isinstance(node, dict):
            raise ParamsError("Conflicting parameter names")
        if last:
            node[part] = value
            return
        child = node.get(part)
        if child is None:
            child = [] if nxt == "" else {}
            node[part] = child
        node = child


def _lists_from_index_maps(value: Any) -> Any:
    """Rails turns `steps[0][...]`, `steps[1][...]` into an array; so do we."""
    if isinstance(value, dict):
        value = {k: _lists_from_index_maps(v) for k, v in value.items()}
        if value and all(k.isdigit() for k in value):
            return [value[k] for k in sorted(value, key=int)]
        return value
    if isinstance(value, list):
        return [_lists_from_index_maps(v) for v in value]
    return value


def parse_pairs(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        parts = _split_key(key)
        if parts is None:
            raise ParamsError(f"Malformed parameter name {key!r}")
        _assign(out, parts, value)
    # Only nested index maps become arrays: the top level stays the parameter mapping (`0=1`).
    return {key: _lists_from_index_maps(value) for key, value in out.items()}


def parse_query(query: str) -> dict[str, Any]:
    return parse_pairs(parse_qsl(query, keep_blank_values=True))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(raw: bytes, exact: bool = True) -> Any:
    """With `exact`, decimals stay exact: JSON numbers become Decimal or int, never float."""
    if exact:
        return json.loads(raw, parse_float=Decimal, parse_constant=_reject_constant)
    return json.loads(raw, parse_constant=_reject_constant)


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def read_body(content_type: str, raw: bytes, exact: bool = True) -> Any:
    """The body as data; None when empty. Raises 400 for bytes that do not parse."""
    if not raw.strip():
        return None
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParamsError("Body is not UTF-8") from exc
        return parse_pairs(parse_qsl(text, keep_blank_values=True))
    if media in ("application/json", "") or media.endswith("+json"):
        try:
            return parse_json(raw, exact)
        except (ValueError, RecursionError) as exc:
            raise ParamsError("Body is not valid JSON") from exc
    raise ParamsError(f"Unsupported content type {media!r}: send JSON or a form")
