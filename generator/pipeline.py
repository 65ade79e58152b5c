"""Spec -> package: load and check the spec, pre-process it, run openapi-python-client, format with ruff."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError

from .oapc_extensions import SdkProject, decimal_strings
from .resources import ResourceError
from .resources import template_globals as resource_globals
from .spec_transform import prepare
from .specs import REPO_ROOT, SpecTarget
from .versions import package_version

# ruff settings are passed on the command line and --isolated ignores every pyproject/ruff.toml, so the
# parent project's settings (or a user's global config) cannot change the output.
RUFF_COMMON = ["--isolated", "--no-cache", "--target-version", "py311", "--line-length", "120"]


class GenerationError(Exception):
    """openapi-python-client or ruff reported a problem; the message carries their output."""


def _format_errors(errors: list[GeneratorError]) -> str:
    return "\n".join(f"  [{e.level}] {e.header}: {e.detail}" for e in errors)


def _ruff(args: list[str], cwd: Path) -> None:
    cmd = [sys.executable, "-m", "ruff", *args]
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise GenerationError(f"{' '.join(args[:2])} failed in {cwd}:\n{result.stdout}{result.stderr}")


def format_tree(project_dir: Path) -> None:
    # F401: templates import helpers generously; I: stable import order.
    _ruff(["check", *RUFF_COMMON, "--fix-only", "--exit-zero", "--select", "F401,I", "."], project_dir)
    _ruff(["format", *RUFF_COMMON, "."], project_dir)


def generate(target: SpecTarget, output_dir: Path, spec_path: Path | None = None) -> None:
    """Generate target's package into output_dir (replaced entirely: stale files must not survive)."""
    source = spec_path or (REPO_ROOT / target.spec)
    checked = target.load_checked(source)
    try:
        # Resources, method names, deprecations and paging, read off the spec as written (x-pagination reads the
        # documented default page size, which prepare() drops).
        resources = resource_globals(checked)
    except ResourceError as exc:
        raise GenerationError(f"{source}: {exc}") from None
    spec = prepare(checked)
    license_id = (spec["info"].get("license") or {}).get("identifier")
    if license_id not in (None, "MIT"):
        # The generator ships one license text (templates/common/LICENSE.jinja).
        raise GenerationError(f"{source}: info.license.identifier is {license_id!r}; the packages are MIT")
    if output_dir.exists():
        shutil.rmtree(output_dir)
    with tempfile.TemporaryDirectory(prefix="sdkgen-") as tmp:
        prepared = Path(tmp) / "spec.json"
        prepared.write_text(json.dumps(spec, indent=1, sort_keys=False), encoding="utf-8")
        config = Config.from_sources(
            ConfigFile.load_from_path(target.config_path),
            MetaType.UV,  # only pyproject.toml; its template is ours (setuptools backend)
            prepared,
            "utf-8",
            overwrite=False,
            output_path=output_dir,
        )
        # The package version is the spec's info.version under the rule of generator/versions.py.
        config.package_version_override = package_version(str(spec["info"]["version"]))
        with decimal_strings():
            openapi = GeneratorData.from_dict(spec, config=config)
            if isinstance(openapi, GeneratorError):
                raise GenerationError(f"{source}: {openapi.header}: {openapi.detail}")
            project = SdkProject(
                openapi=openapi,
                config=config,
                template_dirs=target.template_dirs,
                extra_modules=target.extra_modules,
                project_files=target.project_files,
                generated_from=target.spec.as_posix(),
                template_globals={
                    "openapi_servers_url": (spec.get("servers") or [{"url": ""}])[0]["url"],
                    "spec_version": spec["info"]["version"],
                    "external_docs_url": (spec.get("externalDocs") or {}).get("url"),
                    **target.template_globals(),
                    **resources,
                },
            )
            errors = list(project.build())
    if errors:
        # Warnings too: the stock generator "skips" what it cannot express, which would drop an operation.
        raise GenerationError(f"{source}: openapi-python-client reported:\n{_format_errors(errors)}")
    format_tree(output_dir)
