"""The table of specs this repository generates clients from: one row per package."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"


# Files every package gets beside its pyproject.toml, from generator/templates/common.
_COMMON_PROJECT_FILES = {"LICENSE": "LICENSE.jinja"}


@dataclass(frozen=True)
class SpecTarget:
    """One spec and the package generated from it."""

    name: str
    spec: Path  # relative to the repo root
    package_name: str
    project_name: str
    # Template folders searched before the stock templates, most specific first.
    template_dirs: tuple[Path, ...]
    # Modules the stock generator has no template for: output file -> template.
    extra_modules: dict[str, str] = field(default_factory=dict)
    # Files beside pyproject.toml (not in the package folder): output file -> template.
    project_files: dict[str, str] = field(default_factory=lambda: dict(_COMMON_PROJECT_FILES))
    # The curation registry checked against the spec before generating (relative to the repo root).
    registry: Path | None = None

    def registry_for(self, spec_path: Path) -> Path | None:
        """The registry to check spec_path against: only the target's own spec is what it curates
        (a tiny spec of a generator test, passed with --spec, is not)."""
        if self.registry is None or spec_path.resolve() != (REPO_ROOT / self.spec).resolve():
            return None
        return REPO_ROOT / self.registry

    @property
    def output_dir(self) -> Path:
        return REPO_ROOT / "generated_client" / self.package_name

    @property
    def config_path(self) -> Path:
        return Path(__file__).resolve().parent / "configs" / f"{self.name}.yaml"


# Files every package gets from generator/templates/common.
_COMMON_MODULES = {
    "py.typed": "py.typed.jinja",
    "_wire.py": "_wire.py.jinja",
}

TARGETS: tuple[SpecTarget, ...] = (
    SpecTarget(
        name="threecommas",
        spec=Path("openapi/3commas.yaml"),
        registry=Path("openapi/curation.yaml"),
        package_name="threecommas_client",
        project_name="threecommas-client",
        template_dirs=(TEMPLATES / "threecommas", TEMPLATES / "common"),
        extra_modules={
            **_COMMON_MODULES,
            "signing.py": "signing.py.jinja",
            "_retry.py": "_retry.py.jinja",
            "_http.py": "_http.py.jinja",
        },
    ),
)


def target_by_name(name: str) -> SpecTarget:
    for target in TARGETS:
        if target.name == name:
            return target
    known = ", ".join(t.name for t in TARGETS)
    raise SystemExit(f"unknown spec target {name!r}; known: {known}")
