"""Every ```python block of every README (the root one and each generated package's) type-checks under
`mypy --strict` (in the session's one run, tests/mypy_run.py) and `pyright` in strict mode, so the quickstarts
cannot rot. Each block is checked on its own: it must be complete (its imports included)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.specs import TARGETS
from tests.mypy_run import register, report

REPO_ROOT = Path(__file__).resolve().parents[2]
READMES = [REPO_ROOT / "README.md", *(t.output_dir / "README.md" for t in TARGETS)]
# The packages are installed editable through an import hook neither checker follows: point them at the sources.
PACKAGE_ROOTS = [str(t.output_dir) for t in TARGETS]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def python_blocks() -> list[tuple[str, str]]:
    blocks = []
    for readme in READMES:
        for number, match in enumerate(BLOCK.finditer(readme.read_text(encoding="utf-8")), start=1):
            blocks.append((f"{readme.relative_to(REPO_ROOT).as_posix()}#{number}", match.group(1)))
    return blocks


BLOCKS = python_blocks()
for _name, _code in BLOCKS:
    register(_name, _code)  # type-checked in the session's one mypy run (tests/mypy_run.py)


def test_every_readme_has_python_blocks() -> None:
    names = {name.split("#")[0] for name, _ in BLOCKS}
    assert names == {r.relative_to(REPO_ROOT).as_posix() for r in READMES}


@pytest.fixture(scope="module")
def block_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("readme-blocks")
    files = {}
    for index, (name, code) in enumerate(BLOCKS):
        path = folder / f"block_{index:02d}.py"
        path.write_text(f"# {name}\n{code}", encoding="utf-8")
        files[name] = path
    return folder, files


def _report(result: subprocess.CompletedProcess[str], files: dict[str, Path]) -> str:
    text = result.stdout + result.stderr
    for name, path in files.items():
        text = text.replace(str(path), name).replace(path.name, name)
    return text


@pytest.mark.xdist_group("mypy")
def test_readme_blocks_are_mypy_strict_clean() -> None:
    errors = report().errors_in(*(name for name, _ in BLOCKS))
    assert errors == ""


def test_readme_blocks_are_pyright_strict_clean(block_files: tuple[Path, dict[str, Path]]) -> None:
    folder, files = block_files
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent))
    assert pyright, "pyright is pinned in requirements.in: run make setup"
    (folder / "pyrightconfig.json").write_text(json.dumps({
        "typeCheckingMode": "strict",
        "pythonVersion": "3.11",
        "extraPaths": PACKAGE_ROOTS,
        "include": [p.name for p in files.values()],
    }), encoding="utf-8")
    result = subprocess.run(
        [pyright, "--pythonpath", sys.executable, "--project", str(folder / "pyrightconfig.json")],
        cwd=folder, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, _report(result, files)
