"""Request parameters as the real API reads them: query string, form body with Rails bracket keys,
or a JSON body; the query string wins over the body."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from .limits import MAX_BRACKET_DEPTH, MAX_JSON_DEPTH, MAX_KEY_LENGTH, MAX_PARAMETERS
from .problems import Problem, ProblemKind

_KEY_PART = re.compile(r"\[([^\[\]]*)\]")
_NAME_SHOWN = 64  # characters of a hostile parameter name echoed back in an error


class ParamsError(Problem):
    """A request that does not parse: 400 in every API's error shape."""

    def __init__(self, description: str, attributes: dict[str, list[str]] | None = None) -> None:
        super().__init__(ProblemKind.MALFORMED, 400, description, attributes or {})


def _shown(key: str) -> str:
    """The top-level name of a bracket key, cut short: enough to name it, never the whole attack."""
    head = key.partition("[")[0] or key
    return head if len(head) <= _NAME_SHOWN else head[:_NAME_SHOWN] + "..."


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
        # ASCII digits only: `²` is a digit to str.isdigit() but no int() can read it.
        if value and all(k.isascii() and k.isdigit() for k in value):
            return [value[k] for k in sorted(value, key=int)]
        return value
    if isinstance(value, list):
        return [_lists_from_index_maps(v) for v in value]
    return value


def parse_pairs(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    if len(pairs) > MAX_PARAMETERS:
        raise ParamsError(f"More than {MAX_PARAMETERS} parameters")
    out: dict[str, Any] = {}
    for key, value in pairs:
        if len(key) > MAX_KEY_LENGTH:
            raise ParamsError(
                f"Parameter name longer than {MAX_KEY_LENGTH} characters",
                {_shown(key): [f"is longer than {MAX_KEY_LENGTH} characters"]},
            )
        # Counted before the split: a key of thousands of `[b]` is refused without building it.
        if key.count("[") > MAX_BRACKET_DEPTH:
            raise ParamsError(
                f"Parameter nested deeper than {MAX_BRACKET_DEPTH} levels",
                {_shown(key): [f"is nested deeper than {MAX_BRACKET_DEPTH} levels"]},
            )
        parts = _split_key(key)
        if parts is None:
            raise ParamsError(
                f"Malformed parameter name {_shown(key)!r}", {_shown(key): ["is malformed"]}
            )
        _assign(out, parts, value)
    # Only nested index maps become arrays: the top level stays the parameter mapping (`0=1`).
    return {key: _lists_from_index_maps(value) for key, value in out.items()}


def _parse_qsl(text: str) -> list[tuple[str, str]]:
    try:
        # max_num_fields stops the split early: a million `&` never become a million tuples.
        return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_PARAMETERS)
    except ValueError:
        raise ParamsError(f"More than {MAX_PARAMETERS} parameters") from None


def parse_query(query: str) -> dict[str, Any]:
    return parse_pairs(_parse_qsl(query))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def json_depth(value: Any) -> int:
    """How deeply objects and arrays nest (a scalar is 0); iterative, so no depth can overflow it."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            return depth  # enough to refuse it; no need to walk the rest
        stack.extend((child, depth) for child in children)
    return deepest


def parse_json(raw: str | bytes, exact: bool = True) -> Any:
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
            raise ParamsError("Body is not UTF-8", {"body": ["is not UTF-8"]}) from exc
        return parse_pairs(_parse_qsl(text))
    if media in ("application/json", "") or media.endswith("+json"):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParamsError("Body is not UTF-8", {"body": ["is not UTF-8"]}) from exc
        try:
            data = parse_json(text, exact)
        except RecursionError:
            data = None  # deeper than the parser goes: deeper than the limit too
        except ValueError as exc:
            raise ParamsError("Body is not valid JSON", {"body": ["is not valid JSON"]}) from exc
        else:
            if json_depth(data) <= MAX_JSON_DEPTH:
                return data
        raise ParamsError(
            f"Body nested deeper than {MAX_JSON_DEPTH} levels",
            {"body": [f"is nested deeper than {MAX_JSON_DEPTH} levels"]},
        )
    raise ParamsError(f"Unsupported content type {media!r}: send JSON or a form")
