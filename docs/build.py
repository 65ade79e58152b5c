"""`make docs` and `make docs-lint`: one reference page per spec of generator/specs.py's TARGETS.

    python -m docs.build [--out DIR]     # <stem>.html (Redoc) and <stem>-curation.html per spec
    python -m docs.build --lint          # redocly lint (redocly.yaml) plus the required-names check

Each API page is docs/templates/api.html.jinja with Redoc's standalone bundle (npm `redoc`, pinned
in package-lock.json) and a build-time copy of the spec inlined: the copy gets a generated
"Signing, step by step" section and a link to the curation page in info.description (the source
spec is never written). Every page is checked for references to other hosts; tests/docs proves in
Chromium that nothing is fetched. Linting uses the pinned @redocly/cli with redocly.yaml.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2

from generator.specs import REPO_ROOT, TARGETS, SpecTarget
from spec_tools.load import load_yaml
from spec_tools.refs import resolve

from .curation_page import render_curation
from .signing import check_vectors, signing_markdown

DEFAULT_OUT = REPO_ROOT / "docs" / "build"
TEMPLATES = REPO_ROOT / "docs" / "templates"
REDOCLY = REPO_ROOT / "node_modules" / ".bin" / "redocly"
CONFIG = REPO_ROOT / "redocly.yaml"
# No usage reports from the CLI, and `telemetry: off` in redocly.yaml keeps them out of the page.
NODE_ENV = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}


def page_names(target: SpecTarget) -> tuple[str, str]:
    stem = target.spec.stem
    return f"{stem}.html", f"{stem}-curation.html"


# --- the build-time copy --------------------------------------------------------------------------


def build_copy(target: SpecTarget) -> dict[str, Any]:
    spec: dict[str, Any] = load_yaml(REPO_ROOT / target.spec)
    for name, scheme in spec.get("components", {}).get("securitySchemes", {}).items():
        if "x-signing" in scheme:
            _, problems = check_vectors(scheme["x-signing"])
            if problems:
                raise SystemExit(f"{target.spec}: {name}: " + "; ".join(problems))
    info = spec.setdefault("info", {})
    sections = [info.get("description", "").rstrip()]
    signing = signing_markdown(spec)
    if signing:
        sections.append(signing)
    if target.registry is not None:
        registry = load_yaml(REPO_ROOT / target.registry)
        _, curation = page_names(target)
        sections.append(
            "## Curation registry\n\n"
            f"[What the vendor documents say, what this contract says, and the evidence]({curation}): "
            f"{len(registry.get('entries', []))} entries and {len(registry.get('rules', []))} business "
            f"rules of `{target.registry}`."
        )
    info["description"] = "\n\n".join(s for s in sections if s) + "\n"
    return spec


# --- offline check --------------------------------------------------------------------------------

_REMOTE = [
    (re.compile(r"<script\b[^>]*\bsrc\s*=", re.IGNORECASE), "a <script src=...>"),
    (
        re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE),
        "a <link> to another host",
    ),
    (
        re.compile(
            r"<(?:img|iframe|source|video|audio)\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//",
            re.IGNORECASE,
        ),
        "an embedded resource from another host",
    ),
    (
        re.compile(r"\bimport\b[^;\n]{0,200}?[\"'](?:https?:)?//", re.IGNORECASE),
        "a JavaScript import from another host",
    ),
    (
        re.compile(r"@import\s+(?:url\()?[\"']?(?:https?:)?//", re.IGNORECASE),
        "a CSS @import from another host",
    ),
    (
        re.compile(r"(?<![\w.$])url\(\s*[\"']?(?:https?:)?//"),
        "a CSS url() on another host (fonts?)",
    ),
    (
        re.compile(
            r"[\"'`]https?://[^\"'`\s]+\.(?:svg|png|jpe?g|gif|webp|ico|woff2?|ttf|otf|css|m?js|json|ya?ml)[\"'`]",
            re.IGNORECASE,
        ),
        "a string naming an asset on another host",
    ),
]

# Redoc draws its sidebar footer logo from its CDN, whatever the options. The build swaps those
# two URLs for one small inline SVG of its own (the "API docs by" link to redocly.com stays; a link
# is not a fetch). If Redoc moves them, the asset check above fails the build.
_LOGO_URLS = ("https://cdn.redoc.ly/redoc/logo-mini.svg",)
_LOGO = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='56' height='16'%3E"
    "%3Ctext x='0' y='12' font-family='sans-serif' font-size='12' fill='%23808080'%3ERedoc%3C/text%3E%3C/svg%3E"
)


REDOC_PACKAGE = REPO_ROOT / "node_modules" / "redoc"
# Redoc's own options: system fonts (the default theme names web fonts it never loads), the
# success responses open, and the download button (it saves the embedded spec; nothing is fetched).
REDOC_OPTIONS = {
    "expandResponses": "200,201,202,203,206",
    "jsonSampleExpandLevel": 3,
    "theme": {
        "typography": {
            "fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "headings": {"fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
            "code": {"fontFamily": "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"},
        }
    },
}


_HTML_OPENERS = re.compile(r"<(?=!--|/?script)", re.IGNORECASE)


def _script_safe(text: str) -> str:
    """JavaScript that cannot end or re-enter its inline <script> element.

    `<!--`, `<script` and `</script` are written `\\x3C!--`, ... : the same characters in any
    string, template or regular expression literal, and inert to the HTML parser.
    """
    if re.search(r"\\<(?=!--|/?script)", text, flags=re.IGNORECASE):
        raise SystemExit(
            "the Redoc bundle escapes a '<' before <!-- or <script; cannot inline it safely"
        )
    return _HTML_OPENERS.sub(r"\\x3C", text)


def render_api_page(spec: dict[str, Any], target: SpecTarget, title: str) -> str:
    bundle = (REDOC_PACKAGE / "bundles" / "redoc.standalone.js").read_text(encoding="utf-8")
    version = json.loads((REDOC_PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("api.html.jinja").render(
        title=title,
        redoc_version=version,
        spec_path=str(target.spec),
        curation_page=page_names(target)[1],
        bundle=_script_safe(bundle),
        spec_json=json.dumps(spec, ensure_ascii=False).replace("<", "\\u003c"),
        options_json=json.dumps(REDOC_OPTIONS),
    )


def localise(html: str) -> str:
    for url in _LOGO_URLS:
        html = html.replace(url, _LOGO)
    return html


def offline_problems(html: str) -> list[str]:
    problems = [what for pattern, what in _REMOTE if pattern.search(html)]
    return problems


# --- commands -------------------------------------------------------------------------------------


def _node_env() -> dict[str, str]:
    return {**os.environ, **NODE_ENV}


def _need_redocly() -> None:
    if not REDOCLY.exists():
        raise SystemExit(
            f"{REDOCLY.relative_to(REPO_ROOT)} is missing: run `make docs` (it runs npm ci)"
        )


def build(out: Path) -> list[Path]:
    if not (REDOC_PACKAGE / "bundles" / "redoc.standalone.js").exists():
        raise SystemExit("node_modules/redoc is missing: run `make docs` (it runs npm ci)")
    out.mkdir(parents=True, exist_ok=True)
    pages: list[Path] = []
    for target in TARGETS:
        api_page, curation_page = page_names(target)
        spec = build_copy(target)
        title = spec.get("info", {}).get("title", target.name)
        page = out / api_page
        page.write_text(localise(render_api_page(spec, target, title)), encoding="utf-8")
        pages.append(out / api_page)
        if target.registry is not None:
            html = render_curation(load_yaml(REPO_ROOT / target.registry), target, api_page, title)
            (out / curation_page).write_text(html, encoding="utf-8")
            pages.append(out / curation_page)
    failed = False
    for page in pages:
        for problem in offline_problems(page.read_text(encoding="utf-8")):
            print(f"{page}: {problem}", file=sys.stderr)
            failed = True
    if failed:
        raise SystemExit("a page would load something from the network")
    for page in pages:
        print(page.relative_to(REPO_ROOT) if page.is_relative_to(REPO_ROOT) else page)
    return pages


def _names(spec: dict[str, Any], schema: Any, seen: frozenset[int] = frozenset()) -> set[str]:
    """Property names a schema defines, its allOf branches included."""
    schema = resolve(spec, schema)
    if not isinstance(schema, dict) or id(schema) in seen:
        return set()
    names = set(schema.get("properties", {}) or {})
    for branch in schema.get("allOf", []) or []:
        names |= _names(spec, branch, seen | {id(schema)})
    return names


_INHERITING = ("if", "then", "else", "not")
_BRANCHES = ("allOf", "anyOf", "oneOf")


def required_problems(spec: dict[str, Any]) -> list[str]:
    """What redocly's no-required-schema-properties-undefined finds, minus its false positives.

    A `required` name must be a property of its schema or, inside `if`/`then`/`else`/`not` and
    the branches of `allOf`/`anyOf`/`oneOf`, of the schema they constrain. Open schemas
    (`additionalProperties` or `patternProperties`) are exempt only where they are.
    """
    problems: list[str] = []

    def walk(node: Any, path: str, inherited: set[str]) -> None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{path}/{i}", inherited)
            return
        if not isinstance(node, dict):
            return
        own = _names(spec, node)
        known = own | inherited
        for name in node.get("required", []) if isinstance(node.get("required"), list) else []:
            if name not in known and not node.get("patternProperties"):
                problems.append(f"{path}/required: {name!r} is not a property of this schema")
        for key, child in node.items():
            if key in _INHERITING or key in _BRANCHES:
                walk(child, f"{path}/{key}", known)
            elif key in ("properties", "patternProperties", "$defs", "schemas") and isinstance(
                child, dict
            ):
                for name, sub in child.items():
                    walk(sub, f"{path}/{key}/{name}", set())
            elif key not in (
                "required",
                "examples",
                "example",
                "enum",
                "const",
                "default",
                "x-known-values",
            ):
                walk(child, f"{path}/{key}", set())

    walk(spec.get("components", {}), "#/components", set())
    walk(spec.get("paths", {}), "#/paths", set())
    return problems


def lint() -> int:
    _need_redocly()
    status = 0
    for target in TARGETS:
        result = subprocess.run(
            [
                str(REDOCLY),
                "lint",
                str(target.spec),
                "--config",
                str(CONFIG),
                "--format",
                "stylish",
            ],
            env=_node_env(),
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        # The CLI prints boxed notices (Node.js deprecation) to stderr; keep its findings.
        findings = [
            line
            for line in result.stdout.splitlines() + result.stderr.splitlines()
            if line.strip() and not re.search(r"[║╔╚═]", line)
        ]
        print("\n".join(findings))
        status |= result.returncode
        for problem in required_problems(load_yaml(REPO_ROOT / target.spec)):
            print(f"{target.spec}: {problem}")
            status |= 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m docs.build", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output folder (default docs/build)"
    )
    parser.add_argument("--lint", action="store_true", help="lint every spec instead of building")
    args = parser.parse_args(argv)
    if args.lint:
        return lint()
    build(args.out.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
