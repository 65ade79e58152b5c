"""The table of specs this repository generates clients from: one row per package."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spec_tools.check import load_checked_spec

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
    # The curation registry checked against the spec before generating, and the vendor documents its quotes
    # come from (both relative to the repo root).
    registry: Path | None = None
    sources: Path = Path("openapi/sources")
    # Contract lint rules on top of the general ones (generator/spec_lint.py: PROFILES).
    lint_profile: str = "general"
    # --- what the shared templates (generator/templates/common) say and export for this API ---------------
    # "for the <api_title>" in docstrings, the README and the package description.
    api_title: str = ""
    # The base class of every exception the package raises.
    error_base: str = "ApiClientError"
    # The typed ApiError subclasses the API's `_api_errors.py.jinja` defines, exported from the package.
    api_errors: tuple[str, ...] = ()
    # One line on what the API's error bodies look like, for the errors module's docstring.
    error_body_doc: str = ""
    # What the API's `signing.py.jinja` exports, re-exported from the package.
    signing_exports: tuple[str, ...] = ()
    # Requirements beyond the common ones (httpx, httpcore, anyio, attrs), for pyproject.toml.
    extra_dependencies: tuple[str, ...] = ()
    # PyPI keywords of the package.
    keywords: tuple[str, ...] = ()
    # Prefix of the environment variables the signed client reads its configuration from when an argument is not
    # given (`<prefix>API_KEY`, `<prefix>API_SECRET`, `<prefix>BASE_URL`, and what the API's signed client adds).
    env_prefix: str = ""

    def registry_for(self, spec_path: Path) -> Path | None:
        """The registry to check spec_path against: only the target's own spec is what it curates
        (a tiny spec of a generator test, passed with --spec, is not)."""
        if self.registry is None or spec_path.resolve() != (REPO_ROOT / self.spec).resolve():
            return None
        return REPO_ROOT / self.registry

    def load_checked(self, spec_path: Path, cache_dir: Path | None = None) -> dict[str, Any]:
        """Load, validate and lint spec_path, with the target's registry, sources and lint profile (a pass
        remembered in cache_dir, if given, for the same inputs: spec_tools/check.py)."""
        return load_checked_spec(
            spec_path,
            self.registry_for(spec_path),
            lint_profile=self.lint_profile,
            sources=REPO_ROOT / self.sources,
            cache_dir=cache_dir,
        )

    def template_globals(self) -> dict[str, Any]:
        """The names the shared templates read (besides package_name and the like, which the stock generator sets)."""
        return {
            "target_name": self.name,
            "api_title": self.api_title,
            "error_base": self.error_base,
            "api_errors": list(self.api_errors),
            "error_body_doc": self.error_body_doc,
            "signing_exports": list(self.signing_exports),
            "extra_dependencies": list(self.extra_dependencies),
            "keywords": list(self.keywords),
            "env_prefix": self.env_prefix,
        }

    @property
    def output_dir(self) -> Path:
        return REPO_ROOT / "generated_client" / self.package_name

    @property
    def config_path(self) -> Path:
        return Path(__file__).resolve().parent / "configs" / f"{self.name}.yaml"


# Files every package gets besides the stock generator's, found in its own template folder first, then in
# generator/templates/common (signing.py.jinja exists only per API).
_EXTRA_MODULES = {
    "py.typed": "py.typed.jinja",
    "_wire.py": "_wire.py.jinja",
    "_retry.py": "_retry.py.jinja",
    "_http.py": "_http.py.jinja",
    "signing.py": "signing.py.jinja",
    "_pagination.py": "_pagination.py.jinja",
    "resources.py": "resources.py.jinja",
}

TARGETS: tuple[SpecTarget, ...] = (
    SpecTarget(
        name="threecommas",
        spec=Path("openapi/3commas.yaml"),
        registry=Path("openapi/3commas.curation.yaml"),
        lint_profile="threecommas",
        package_name="threecommas_client",
        project_name="threecommas-client",
        template_dirs=(TEMPLATES / "threecommas", TEMPLATES / "common"),
        extra_modules=_EXTRA_MODULES,
        api_title="3Commas SmartTrade v2 API",
        error_base="ThreeCommasError",
        api_errors=(
            "BadRequest",
            "Forbidden",
            "NotFound",
            "RateLimited",
            "ServerError",
            "Unauthorized",
            "UnexpectedStatus",
            "UnprocessableEntity",
        ),
        error_body_doc=(
            "3Commas errors look\n  like `{\"error\": code, \"error_description\": text, \"error_attributes\": "
            "{path: [messages]}}`; 429 may answer in\n  plain text."
        ),
        signing_exports=("sign_hmac", "sign_rsa"),
        extra_dependencies=("cryptography>=42",),
        keywords=("3commas", "smarttrade", "trading", "openapi", "sdk"),
        env_prefix="THREECOMMAS_",
    ),
    SpecTarget(
        name="poloniex",
        spec=Path("openapi/poloniex.yaml"),
        registry=Path("openapi/poloniex.curation.yaml"),
        lint_profile="general",
        package_name="poloniex_client",
        project_name="poloniex-client",
        template_dirs=(TEMPLATES / "poloniex", TEMPLATES / "common"),
        extra_modules=_EXTRA_MODULES,
        api_title="Poloniex spot API v3 smart orders",
        error_base="PoloniexError",
        api_errors=(
            "BadRequest",
            "Forbidden",
            "NotFound",
            "RateLimited",
            "RequestTimeout",
            "ServerError",
            "Unauthorized",
            "UnexpectedStatus",
        ),
        error_body_doc=(
            'Poloniex errors look\n  like `{"code": <int>, "message": text}` (`code` is kept whatever its value); a 429 may\n'
            "  answer in plain text."
        ),
        signing_exports=("sign_hmac", "sign_request", "signing_payload"),
        keywords=("poloniex", "smart-orders", "trading", "openapi", "sdk"),
        env_prefix="POLONIEX_",
    ),
)


def target_by_name(name: str) -> SpecTarget:
    for target in TARGETS:
        if target.name == name:
            return target
    known = ", ".join(t.name for t in TARGETS)
    raise SystemExit(f"unknown spec target {name!r}; known: {known}")
