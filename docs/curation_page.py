"""The curation page of one registry: what the vendor documents say, what the spec says, the evidence."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import yaml
from markupsafe import Markup, escape

if TYPE_CHECKING:
    from generator.specs import SpecTarget

_TEMPLATES = jinja2.FileSystemLoader(str(Path(__file__).parent / "templates"))
_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"\*\*([^*]+)\*\*")


def inline(text: Any) -> Markup:
    """Escape text, then show its `code` spans and **bold** as HTML (nothing else is markup)."""
    if text is None:
        return Markup("")
    escaped = str(escape(str(text)))
    escaped = _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", escaped)
    escaped = _STRONG.sub(lambda m: f"<strong>{m.group(1)}</strong>", escaped)
    return Markup(escaped)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_TEMPLATES,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline"] = inline
    env.filters["yaml"] = lambda value: yaml.safe_dump(
        value, sort_keys=False, allow_unicode=True, width=100
    ).rstrip()
    return env


def group_entries(registry: dict[str, Any]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(category, its description, entries) in the registry's category order; unknown ones last."""
    categories: dict[str, str] = dict(registry.get("categories", {}) or {})
    groups: dict[str, list[dict[str, Any]]] = {name: [] for name in categories}
    for entry in registry.get("entries", []) or []:
        groups.setdefault(str(entry.get("category", "uncategorised")), []).append(entry)
    return [(name, categories.get(name, ""), items) for name, items in groups.items() if items]


def render_curation(registry: dict[str, Any], target: SpecTarget, api_page: str, title: str) -> str:
    return (
        _env()
        .get_template("curation.html.jinja")
        .render(
            title=title,
            registry_path=str(target.registry),
            spec_path=str(target.spec),
            api_page=api_page,
            groups=group_entries(registry),
            rules=registry.get("rules", []) or [],
        )
    )
