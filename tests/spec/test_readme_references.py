"""README.md cannot point at what is not there: every repository path it writes in backticks exists,
and every `make <target>` it mentions is a target of the Makefile.

A path is an inline code span that looks like a relative path with a `/` (`openapi/3commas.yaml`,
`reference_server/poloniex/`); it is resolved from the repository root. Spans with placeholders
(`<stem>`), globs, URL paths (`/v2/smart_trades`) or media types are not paths. A path under a
folder .gitignore lists (`docs/build/`, `reports/`) is written by a command, so it need not exist.
`make` commands are the code spans and the fenced-block lines that start with `make `.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"

FENCED = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
INLINE = re.compile(r"`([^`\n]+)`")
PATH = re.compile(r"^[A-Za-z0-9_.][\w.+-]*(?:/[\w.+-]*)+$")
MEDIA_TYPES = ("application/", "text/", "multipart/")
MAKE = re.compile(r"^make ([a-z][\w-]*)")
TARGET = re.compile(r"^([A-Za-z][\w-]*)\s*:(?!=)", re.MULTILINE)


def readme_paths(text: str) -> set[str]:
    spans = INLINE.findall(FENCED.sub("", text))
    return {s for s in spans if PATH.match(s) and not s.startswith(MEDIA_TYPES)}


def generated_folders() -> tuple[str, ...]:
    """The folders .gitignore lists by their path from the root (`docs/build/`, `reports/`)."""
    lines = (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    return tuple(
        line.strip().lstrip("/") for line in lines if line.strip().endswith("/") and "*" not in line
    )


def make_commands(text: str) -> set[str]:
    """The targets of every `make ...` code span and every fenced-block line that starts with make."""
    inline = INLINE.findall(FENCED.sub("", text))
    block_lines = [line.strip() for block in FENCED.findall(text) for line in block.splitlines()]
    return {m.group(1) for s in (*inline, *block_lines) if (m := MAKE.match(s))}


def make_targets() -> set[str]:
    return set(TARGET.findall((REPO_ROOT / "Makefile").read_text(encoding="utf-8")))


def test_every_readme_path_exists() -> None:
    generated = generated_folders()
    missing = sorted(
        p
        for p in readme_paths(README.read_text(encoding="utf-8"))
        if not (REPO_ROOT / p).exists()
        and not (p + "/").startswith(generated)
        and not p.startswith(generated)
    )
    assert missing == [], f"README.md names paths that do not exist: {missing}"


def test_every_make_command_is_a_target() -> None:
    mentioned = make_commands(README.read_text(encoding="utf-8"))
    assert mentioned, "README.md mentions no make target"
    unknown = sorted(mentioned - make_targets())
    assert unknown == [], f"README.md mentions make targets the Makefile lacks: {unknown}"


def test_the_checks_catch_what_they_should() -> None:
    sample = (
        "`openapi/nothing-here.yaml` `/v2/smart_trades` `application/json` `openapi/<stem>.yaml`"
        " `docs/build/x.html`\n```sh\nmake generate\n```\n"
    )
    assert readme_paths(sample) == {"openapi/nothing-here.yaml", "docs/build/x.html"}
    assert "docs/" + "build/" in generated_folders()
    prose = sample + "to make sure, run `make no-such-target SEED=1` and `make test`"
    assert make_commands(prose) == {"generate", "no-such-target", "test"}
    assert {"generate", "test", "docs"} <= make_targets()
