"""The API reference pages of `make docs`, opened in headless Chromium from file:// with no network.

Each spec's page must show every operation (by operationId anchor and summary), render the spec's
examples, log no error or warning and request nothing but file:, data: and blob: URLs; each
curation page must show every registry entry. Needs chromium and node: skipped without them,
except under CI (CI=true), where their absence fails.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from docs.build import page_names, render_api_page
from generator.specs import REPO_ROOT, TARGETS
from spec_tools.load import load_yaml

from .headless import chromium_path, open_page

IN_CI = os.environ.get("CI", "").lower() == "true"
LOCAL = ("file:", "data:", "blob:", "about:")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

READY = "document.body.dataset.rendered === 'true'"
COLLECT = """(() => {
  const ops = {};
  for (const el of document.querySelectorAll('[id^="operation/"]')) ops[el.id.slice(10)] = el.textContent;
  return {ops, text: document.body.textContent};
})()"""


def _require(tool: str, found: bool) -> None:
    if found:
        return
    reason = f"{tool} is not installed; .ci/run installs it (apt-get install -y chromium, node from the image)"
    if IN_CI:
        pytest.fail(f"under CI: {reason}")
    pytest.skip(reason)


# One worker under pytest-xdist (`make test`): the module's pages are built once, not on every worker.
pytestmark = pytest.mark.xdist_group("docs")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require("chromium", chromium_path() is not None)
    _require("node/npm", shutil.which("node") is not None and shutil.which("npm") is not None)
    out = tmp_path_factory.mktemp("docs")
    # The same path as a developer's: make installs the node tools from package-lock.json if stale.
    subprocess.run(
        ["make", "--no-print-directory", "-s", "docs", f"DOCS_OUT={out}"],
        cwd=REPO_ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=300,
    )
    return out


def load(path: Path) -> Any:
    return load_yaml(path)


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        op
        for item in spec.get("paths", {}).values()
        for method, op in item.items()
        if method in METHODS
    ]


def _first_string(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    for item in items:
        found = _first_string(item)
        if found is not None:
            return found
    return None


def expected_examples(spec: dict[str, Any], op: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(label of the example picker, a string of the first example) per request/2xx body example.

    Redoc offers a picker only when a body has more than one example; otherwise the label is "".
    """
    media: list[dict[str, Any]] = []
    body = op.get("requestBody", {})
    media += list(body.get("content", {}).values())
    for code, response in op.get("responses", {}).items():
        if str(code).startswith("2"):
            if "$ref" in response:
                response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
            media += list(response.get("content", {}).values())
    found = []
    for mt in media:
        examples = mt.get("examples") or {}
        for i, (key, example) in enumerate(examples.items()):
            label = example.get("summary", key) if len(examples) > 1 else ""
            found.append((label, _first_string(example.get("value")) if i == 0 else None))
        if "example" in mt:
            found.append(("", _first_string(mt["example"])))
    return found


def problems_of_api_page(spec: dict[str, Any], seen: dict[str, Any]) -> list[str]:
    problems = []
    rendered = seen.get("ops", {})
    for op in operations(spec):
        op_id = op["operationId"]
        text = rendered.get(op_id)
        if text is None:
            problems.append(f"{op_id}: no operation/{op_id} in the page")
            continue
        if op.get("summary") and op["summary"] not in text:
            problems.append(f"{op_id}: summary {op['summary']!r} not shown")
        for label, value in expected_examples(spec, op):
            if label and label not in text:
                problems.append(f"{op_id}: example {label!r} not offered")
            if value is not None and json.dumps(value) not in text:
                problems.append(f"{op_id}: example value {json.dumps(value)} not rendered")
    return problems


def network_and_console(report: Any) -> list[str]:
    remote = [url for url in report.requests if not url.startswith(LOCAL)]
    return [f"requested {url}" for url in remote] + report.errors


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_api_page_shows_every_operation_and_example(pages: Path, target: Any) -> None:
    spec = load(REPO_ROOT / target.spec)
    api_page, _ = page_names(target)
    report = open_page((pages / api_page).as_uri(), COLLECT, READY)
    assert network_and_console(report) == []
    assert problems_of_api_page(spec, report.result) == []
    assert "Signing, step by step" in report.result["text"]
    if target.registry is not None:
        assert page_names(target)[1] in (pages / api_page).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "target", [t for t in TARGETS if t.registry is not None], ids=lambda t: t.name
)
def test_curation_page_shows_every_entry(pages: Path, target: Any) -> None:
    registry = load(REPO_ROOT / target.registry)
    _, curation_page = page_names(target)
    report = open_page(
        (pages / curation_page).as_uri(),
        "Array.from(document.querySelectorAll('[data-entry-id],[data-rule-id]')).map(e => e.id)",
        "document.readyState === 'complete'",
    )
    assert network_and_console(report) == []
    expected = [e["id"] for e in registry.get("entries", [])] + [
        r["id"] for r in registry.get("rules", [])
    ]
    assert sorted(report.result) == sorted(expected)


def test_a_page_without_an_operation_fails(pages: Path, tmp_path: Path) -> None:
    """The check above is not vacuous: drop one operation from a copy and it is reported missing."""
    # The smallest spec's page: Chromium renders it in a fraction of the largest one's time.
    target = min(TARGETS, key=lambda t: (REPO_ROOT / t.spec).stat().st_size)
    spec = load(REPO_ROOT / target.spec)
    mutilated = copy.deepcopy(spec)
    item = next(iter(mutilated["paths"].values()))
    method = next(m for m in item if m in METHODS)
    dropped = item.pop(method)["operationId"]
    page = tmp_path / "mutilated.html"
    page.write_text(render_api_page(mutilated, target, "mutilated"), encoding="utf-8")
    report = open_page(page.as_uri(), COLLECT, READY)
    assert f"{dropped}: no operation/{dropped} in the page" in problems_of_api_page(
        spec, report.result
    )
