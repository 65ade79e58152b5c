"""Spec -> package: load and check the spec, pre-process it, run openapi-python-client, format with ruff.

What does not change between runs is kept in CACHE_DIR (.cache/generator, git-ignored): the verdict of the spec
check (spec_tools.check, keyed by every input) and the compiled templates (Jinja's bytecode cache, keyed by each
template's source and the environment's settings). GENERATOR_CACHE=0 turns both off.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemBytecodeCache
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

CACHE_DIR = REPO_ROOT / ".cache" / "generator"
_TEMPLATE_CACHE_LIMIT = 1000  # compiled templates kept (both targets need about 50)


def default_cache_dir() -> Path | None:
    """CACHE_DIR, or None when GENERATOR_CACHE=0 asks for every check and template compile to run."""
    return None if os.environ.get("GENERATOR_CACHE", "1") == "0" else CACHE_DIR


class GenerationError(Exception):
    """openapi-python-client or ruff reported a problem; the message carries their output."""


def _format_errors(errors: list[GeneratorError]) -> str:
    return "\n".join(f"  [{e.level}] {e.header}: {e.detail}" for e in errors)


def _ruff(args: list[str], cwd: Path) -> None:
    # The binary itself: `python -m ruff` would start an interpreter only to exec it.
    from ruff import find_ruff_bin  # type: ignore[import-untyped]

    cmd = [str(find_ruff_bin()), *args]
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise GenerationError(f"{' '.join(args[:2])} failed in {cwd}:\n{result.stdout}{result.stderr}")


def format_tree(project_dir: Path) -> None:
    # F401: templates import helpers generously; I: stable import order.
    _ruff(["check", *RUFF_COMMON, "--fix-only", "--exit-zero", "--select", "F401,I", "."], project_dir)
    _ruff(["format", *RUFF_COMMON, "."], project_dir)


def _template_cache(env: Environment, cache_dir: Path) -> FileSystemBytecodeCache:
    """Jinja's bytecode cache in a folder named after everything compiled code depends on besides the template's
    source (which Jinja checks itself): the Jinja version, the syntax settings, autoescape, finalize, extensions,
    filter and test names."""
    import jinja2

    settings = repr(
        (
            jinja2.__version__,
            env.block_start_string,
            env.block_end_string,
            env.variable_start_string,
            env.variable_end_string,
            env.comment_start_string,
            env.comment_end_string,
            env.line_statement_prefix,
            env.line_comment_prefix,
            env.trim_blocks,
            env.lstrip_blocks,
            env.newline_sequence,
            env.keep_trailing_newline,
            env.optimized,
            env.is_async,
            repr(env.autoescape),
            getattr(env.finalize, "__qualname__", env.finalize),
            sorted(env.extensions),
            sorted(env.filters),
            sorted(env.tests),
        )
    )
    folder = cache_dir / "jinja" / hashlib.sha256(settings.encode()).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    # Jinja never drops the bytecode of an edited template; start afresh once edits have piled up.
    # (file by file: another process may be using the folder; Jinja takes a missing file for a miss).
    entries = list(folder.iterdir())
    if len(entries) > _TEMPLATE_CACHE_LIMIT:
        for entry in entries:
            entry.unlink(missing_ok=True)
    return FileSystemBytecodeCache(str(folder))


def generate(
    target: SpecTarget,
    output_dir: Path,
    spec_path: Path | None = None,
    *,
    cache_dir: Path | None | Literal["default"] = "default",
) -> None:
    """Generate target's package into output_dir (replaced entirely: stale files must not survive).
    cache_dir: where checked specs and compiled templates are kept (default: default_cache_dir(); None: nowhere)."""
    cache = default_cache_dir() if cache_dir == "default" else cache_dir
    source = spec_path or (REPO_ROOT / target.spec)
    checked = target.load_checked(source, cache_dir=cache / "spec-check" if cache else None)
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
            if cache is not None:
                project.env.bytecode_cache = _template_cache(project.env, cache)
            errors = list(project.build())
    if errors:
        # Warnings too: the stock generator "skips" what it cannot express, which would drop an operation.
        raise GenerationError(
            f"{source}: openapi-python-client reported:\n{_format_errors(errors)}"
        )
    format_tree(output_dir)
