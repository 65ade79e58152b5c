"""One `mypy --strict` run for every type-check test of a pytest process.

The hand-written code, each generated package, every README block and the SDK-types snippet were four
mypy processes, each reading the standard library's and the dependencies' stubs anew (two with no
cache at all): about 14 s of CPU on a fresh clone. Here they are one run with the repo's config and
cache (`pyproject.toml` [tool.mypy]), and each test reads the errors of its own files.

Snippets (code that is not a file of the repo) are registered by name when their test module is
imported, so every one is known before the first type-check test runs; the tests that read this run
share the pytest-xdist group `mypy`, so one worker runs it once.
"""

from __future__ import annotations

import functools
import hashlib
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.specs import TARGETS

ROOT = Path(__file__).resolve().parent.parent
HAND_WRITTEN = ("generator", "spec_tools", "reference_server", "docs", "benchmarks", "examples")
# Each generated package's import root (its output folder holds the package and its project files).
GENERATED = tuple(
    (target.output_dir / target.package_name).relative_to(ROOT).as_posix() for target in TARGETS
)
SNIPPETS: dict[str, str] = {}
SNIPPET_DIR = ROOT / ".cache" / "mypy-snippets"
# `path:line[:column]: severity: message`; other lines (summaries, a crash) belong to no file.
_LINE = re.compile(r"^(?P<path>[^:\n]+\.pyi?):\d+(?::\d+)?: (?:error|note|warning): ")


def register(name: str, code: str) -> None:
    """Check `code` as a module of its own in the run; its errors read under `name`."""
    if SNIPPETS.setdefault(name, code) != code:
        raise ValueError(f"two snippets named {name!r}")


@dataclass(frozen=True)
class Report:
    returncode: int
    # Output lines by the source they are about: a repo path (relative, posix) or a snippet name.
    lines: tuple[tuple[str, str], ...]
    # Lines about no source: the summary, or what a crash or a bad config printed.
    other: str

    def errors_in(self, *sources: str) -> str:
        """The lines about the given repo folders/files or snippet names; with the whole output
        when mypy crashed or was misconfigured (exit 2), or failed without naming any file."""

        def mine(source: str) -> bool:
            return any(source == s or source.startswith(s.rstrip("/") + "/") for s in sources)

        found = "\n".join(line for source, line in self.lines if mine(source))
        if self.returncode not in (0, 1) or (self.returncode != 0 and not self.lines):
            return found + "\n" + self.other
        return found


@functools.cache
def report() -> Report:
    # A fixed folder and a file per snippet named by its name: mypy's cache keeps a module's errors
    # with the path it had, and reports them under that path again while the source is unchanged.
    SNIPPET_DIR.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    for name, code in sorted(SNIPPETS.items()):
        digest = hashlib.sha256(name.encode()).hexdigest()[:12]
        path = SNIPPET_DIR / f"snippet_{digest}.py"
        text = f"# {name}\n{code}"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        files[path.relative_to(ROOT).as_posix()] = name
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *HAND_WRITTEN, *GENERATED, *files],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    lines, other = [], []
    for line in (result.stdout + result.stderr).splitlines():
        match = _LINE.match(line)
        if match is None:
            other.append(line)
            continue
        path = match["path"]
        source = files.get(path.replace("\\", "/"), path.replace("\\", "/"))
        lines.append((source, line.replace(path, source)))
    return Report(result.returncode, tuple(lines), "\n".join(other))
