"""The "Signing, step by step" section of an API page, generated from a spec's `x-signing`.

Nothing here is written for one API: the steps, the algorithm table and the worked examples come
from the `x-signing` object of whichever security scheme carries one, and from the spec's security
requirements. Keys this module has no wording for are listed as they are, so nothing is dropped.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

# Keys of `x-signing` rendered as steps; every other key is listed under "Other parameters".
_KNOWN = {"payload", "algorithms", "json_body_separator", "vectors"}


def signing_schemes(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    schemes = spec.get("components", {}).get("securitySchemes", {}) or {}
    return [(name, s) for name, s in schemes.items() if isinstance(s, dict) and "x-signing" in s]


def _code(value: Any) -> str:
    text = str(value)
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _code(value).replace("|", "\\|")


def _headers(spec: dict[str, Any], scheme_name: str) -> list[tuple[str, dict[str, Any]]]:
    """The schemes sent together with scheme_name (one security requirement), in spec order."""
    schemes = spec.get("components", {}).get("securitySchemes", {}) or {}
    for requirement in spec.get("security", []) or []:
        if scheme_name in requirement:
            return [(n, schemes[n]) for n in requirement if n in schemes]
    return [(scheme_name, schemes[scheme_name])]


def recompute(algorithm: dict[str, Any], secret: str, payload: str) -> str | None:
    """The signature of an HMAC vector, or None when the algorithm is not an HMAC this can redo."""
    digest = str(algorithm.get("digest", "")).lower()
    if digest not in hashlib.algorithms_available:
        return None
    mac = hmac.new(secret.encode(), payload.encode(), digest).digest()
    encoding = algorithm.get("encoding")
    if encoding == "hex":
        return mac.hex()
    if encoding == "base64":
        return base64.b64encode(mac).decode()
    return None


def check_vectors(signing: dict[str, Any]) -> tuple[list[int], list[str]]:
    """Recompute every HMAC vector that has its secret: (indexes verified, problems)."""
    algorithms = signing.get("algorithms", {}) or {}
    verified: list[int] = []
    problems: list[str] = []
    for i, vector in enumerate(signing.get("vectors", []) or []):
        name = vector.get("algorithm")
        if name not in algorithms:
            problems.append(f"vector {i}: algorithm {name!r} is not in x-signing.algorithms")
            continue
        if "hmac" not in str(name).lower() or "secret" not in vector:
            continue
        got = recompute(algorithms[name], str(vector["secret"]), str(vector["payload"]))
        if got is None:
            continue
        want = str(vector["signature"])
        same = (
            got == want
            if algorithms[name].get("case_sensitive", True)
            else got.lower() == want.lower()
        )
        if same:
            verified.append(i)
        else:
            problems.append(
                f"vector {i}: {name} of {vector['payload']!r} is {got}, the spec says {want}"
            )
    return verified, problems


def signing_markdown(spec: dict[str, Any]) -> str:
    """Markdown for info.description; empty when no security scheme has `x-signing`."""
    parts: list[str] = []
    for scheme_name, scheme in signing_schemes(spec):
        signing = scheme["x-signing"]
        algorithms = signing.get("algorithms", {}) or {}
        verified, _ = check_vectors(signing)
        out = [
            "## Signing, step by step",
            "",
            (
                f"Generated from `x-signing` of the `{scheme_name}` security scheme; "
                "its description has the details."
            ),
            "",
        ]
        headers = _headers(spec, scheme_name)
        step = 1
        if "payload" in signing:
            out.append(
                f"{step}. **Build the payload** from the request as it will be sent: "
                f"{_code(signing['payload'])}."
            )
            step += 1
        seps = signing.get("json_body_separator")
        if seps:
            shown = " or ".join("nothing" if s == "" else _code(s) for s in seps)
            out.append(
                f"{step}. **A JSON body** joins the payload after {shown}"
                f"{'; every one of these forms is accepted' if len(seps) > 1 else ''}."
            )
            step += 1
        if algorithms:
            names = ", ".join(f"**{n}**" for n in algorithms)
            out.append(f"{step}. **Sign the payload** with one of: {names} (parameters below).")
            step += 1
        sent = ", ".join(
            f"`{s.get('name', n)}` ({s.get('in', '?')}, scheme `{n}`)" for n, s in headers
        )
        out.append(f"{step}. **Send** {sent}.")
        out.append("")
        if algorithms:
            keys: list[str] = []
            for params in algorithms.values():
                keys += [k for k in (params or {}) if k not in keys]
            out.append("| algorithm | " + " | ".join(k.replace("_", " ") for k in keys) + " |")
            out.append("|---" * (len(keys) + 1) + "|")
            for name, params in algorithms.items():
                params = params or {}
                row = [_cell(params[k]) if k in params else "" for k in keys]
                out.append(f"| {name} | " + " | ".join(row) + " |")
            out.append("")
        extra = {k: v for k, v in signing.items() if k not in _KNOWN}
        if extra:
            out.append("Other parameters of `x-signing`:")
            out.append("")
            out += [f"- `{k}`: {_code(v)}" for k, v in extra.items()]
            out.append("")
        vectors = signing.get("vectors", []) or []
        out.append("### Worked examples")
        out.append("")
        if not vectors:
            out.append("The spec documents no signing vectors (`x-signing.vectors`).")
            out.append("")
        for i, vector in enumerate(vectors):
            title = vector.get("summary") or f"{vector.get('algorithm', '?')} example {i + 1}"
            out.append(f"#### {title}")
            out.append("")
            out.append(f"- algorithm: **{vector.get('algorithm', '?')}**")
            for key in ("secret", "key"):
                if key in vector:
                    out.append(f"- {key}: {_code(vector[key])}")
            out.append("- payload:")
            out.append("")
            out.append("  ```text")
            out.append(f"  {vector.get('payload', '')}")
            out.append("  ```")
            out.append("- signature:")
            out.append("")
            out.append("  ```text")
            out.append(f"  {vector.get('signature', '')}")
            out.append("  ```")
            if i in verified:
                out.append("")
                out.append("  Recomputed when this page was built: it matches.")
            out.append("")
        parts.append("\n".join(out))
    return "\n\n".join(parts)
