"""`python -m generator [--check | --lint-only] [--only NAME] [--spec NAME=PATH]`."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from spec_tools.load import SpecError

from .pipeline import GenerationError, default_cache_dir, format_tree, generate
from .specs import REPO_ROOT, TARGETS, SpecTarget, target_by_name
from .tree_diff import diff_trees, sync_tree


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="regenerate into a temp folder and diff")
    mode.add_argument("--lint-only", action="store_true", help="validate and lint the specs only")
    parser.add_argument("--only", action="append", default=[], help="target name (repeatable)")
    parser.add_argument(
        "--spec", action="append", default=[], metavar="NAME=PATH", help="use another spec file"
    )
    parser.add_argument("--output", type=Path, help="write the (single) target here instead")
    return parser.parse_args(argv)


def _check_result(target: SpecTarget, fresh: Path) -> bool:
    problems = diff_trees(fresh, target.output_dir)
    if problems:
        print(
            f"{target.name}: generated_client/{target.package_name} is stale (run `make generate`):"
        )
        print("\n".join(f"  {p}" for p in problems))
        return False
    print(f"{target.name}: generated_client/{target.package_name} is up to date")
    return True


def _sync_result(out: Path) -> Callable[[SpecTarget, Path], bool]:
    def finish(target: SpecTarget, fresh: Path) -> bool:
        # Generated aside, then synced: files that did not change keep their mtime.
        changed = sync_tree(fresh, out)
        print(f"{target.name}: generated {out} ({len(changed)} file(s) changed)")
        return True

    return finish


def _scratch_root() -> str | None:
    """Where the fresh trees are generated: a RAM-backed folder when there is one. On a disk, deleting the
    tree costs more than building it once ruff has rewritten the files (their blocks are then allocated and,
    on a filesystem mounted with `discard`, freed synchronously)."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    targets: list[SpecTarget] = [target_by_name(n) for n in args.only] or list(TARGETS)
    overrides = dict(item.split("=", 1) for item in args.spec)
    cache = default_cache_dir()
    failed = False
    # Each target's ruff pass (a subprocess) runs on a thread while the next target is generated; the results are
    # compared or synced in target order once its pass is done.
    pending: list[tuple[SpecTarget, Path, Future[None], Callable[[SpecTarget, Path], bool]]] = []
    with (
        tempfile.TemporaryDirectory(prefix="generate-", dir=_scratch_root()) as tmp,
        ThreadPoolExecutor(max_workers=2) as pool,
    ):
        for target in targets:
            spec_path = (
                Path(overrides[target.name])
                if target.name in overrides
                else REPO_ROOT / target.spec
            )
            try:
                if args.lint_only:
                    target.load_checked(spec_path, cache / "spec-check" if cache else None)
                    print(f"{target.name}: {spec_path} is valid and lint-clean")
                    continue
                fresh = Path(tmp) / target.name / target.package_name
                generate(target, fresh, spec_path, cache_dir=cache, format_output=False)
            except (SpecError, GenerationError) as exc:
                failed = True
                print(f"{target.name}: {exc}", file=sys.stderr)
                continue
            finish = _check_result if args.check else _sync_result(args.output or target.output_dir)
            pending.append((target, fresh, pool.submit(format_tree, fresh), finish))
        for target, fresh, formatted, finish in pending:
            try:
                formatted.result()
            except GenerationError as exc:
                failed = True
                print(f"{target.name}: {exc}", file=sys.stderr)
                continue
            failed = not finish(target, fresh) or failed
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
