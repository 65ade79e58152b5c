"""Packaging of the generated SDKs: MIT license file and expression, version derived from the spec,
classifiers; the metadata as setuptools builds it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from email.parser import Parser
from pathlib import Path
from typing import Any

import pytest

from generator.specs import REPO_ROOT, TARGETS, SpecTarget
from spec_tools.load import load_yaml
from spec_tools.versions import package_version, spec_major


def spec_info(target: SpecTarget) -> dict[str, Any]:
    info: dict[str, Any] = load_yaml(REPO_ROOT / target.spec)[
        "info"
    ]
    return info


def pyproject(target: SpecTarget) -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((target.output_dir / "pyproject.toml").read_text())[
        "project"
    ]
    return project


@pytest.mark.parametrize(
    ("spec_version", "expected"),
    [
        ("2.0.0+curated.1", "2.0.0.post1"),
        ("3.0.0+curated.12", "3.0.0.post12"),
        ("2.1.0", "2.1.0"),
        ("1", "1"),
    ],
)
def test_package_version_rule(spec_version: str, expected: str) -> None:
    assert package_version(spec_version) == expected


@pytest.mark.parametrize("spec_version", ["2.0.0+build.1", "2.0.0.post1", "two", "2.0.0+curated.x"])
def test_package_version_refuses_other_forms(spec_version: str) -> None:
    with pytest.raises(ValueError, match="spec version"):
        package_version(spec_version)


def test_package_versions_keep_the_order_of_spec_versions() -> None:
    from packaging.version import Version

    ordered = [
        "2.0.0+curated.1",
        "2.0.0+curated.2",
        "2.0.0+curated.10",
        "2.1.0+curated.1",
        "3.0.0+curated.1",
    ]
    derived = [Version(package_version(v)) for v in ordered]
    assert derived == sorted(derived) and len(set(derived)) == len(derived)
    assert spec_major("2.0.0+curated.1") == 2


def test_root_license_is_mit() -> None:
    text = (REPO_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n") and "smart-trading-contracts contributors" in text


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_package_carries_the_root_license(target: SpecTarget) -> None:
    assert spec_info(target)["license"]["identifier"] == "MIT"
    packaged = (target.output_dir / "LICENSE").read_text(encoding="utf-8")
    assert packaged == (REPO_ROOT / "LICENSE").read_text(encoding="utf-8")


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_pyproject_metadata(target: SpecTarget) -> None:
    project = pyproject(target)
    assert project["version"] == package_version(spec_info(target)["version"])
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    classifiers = project["classifiers"]
    assert (
        "Typing :: Typed" in classifiers
        and "Programming Language :: Python :: 3 :: Only" in classifiers
    )
    # PEP 639: with a license expression, license classifiers are refused by the build backends.
    assert not [c for c in classifiers if c.startswith("License ::")]
    assert project["description"]


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_built_metadata(target: SpecTarget, tmp_path: Path) -> None:
    """The core metadata setuptools writes for the package (a copy: the build leaves files behind)."""
    source = tmp_path / "src"
    shutil.copytree(target.output_dir, source)
    out = tmp_path / "meta"
    out.mkdir()
    code = "import sys, setuptools.build_meta as b; print(b.prepare_metadata_for_build_wheel(sys.argv[1]))"
    result = subprocess.run(
        [sys.executable, "-c", code, str(out)],
        cwd=source,
        capture_output=True,
        text=True,
        check=True,
    )
    dist_info = out / result.stdout.strip().splitlines()[-1]
    metadata = Parser().parsestr((dist_info / "METADATA").read_text(encoding="utf-8"))
    assert metadata["Version"] == package_version(spec_info(target)["version"])
    assert metadata["License-Expression"] == "MIT"
    assert metadata["License-File"] == "LICENSE"
    assert (dist_info / "licenses" / "LICENSE").exists()
    assert "Typing :: Typed" in metadata.get_all("Classifier", [])
