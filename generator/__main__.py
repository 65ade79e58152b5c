"""`python -m generator [--check | --lint-only] [--only NAME] [--spec NAME=PATH]`."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from spec_tools.load import SpecError

from .pipeline import GenerationError, default_cache_dir, generate
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


def _sync_result(target: SpecTarget, fresh: Path, out: Path) -> None:
    # Generated aside, then synced: files that did not change keep their mtime.
    changed = sync_tree(fresh, out)
    print(f"{target.name}: generated {out} ({len(changed)} file(s) changed)")


def _scratch_root() -> str | None:
    """Where the fresh trees are generated: a RAM-backed folder when there is one. On a disk, deleting the
    tree costs more than building it once ruff has rewritten the files (their blocks are then allocated and,
    on a filesystem mounted with `discard`, freed synchronously)."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


def _build(target: SpecTarget, fresh: Path, spec_path: Path, cache: Path | None) -> None:
    generate(target, fresh, spec_path, cache_dir=cache)


def _helpers(jobs: int) -> int:
    """Processes to generate beside this one: one per further target, as many as there are other CPUs
    (GENERATOR_JOBS, if set, caps the processes in all: GENERATOR_JOBS=1 generates here only)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    cpus = min(cpus, int(os.environ.get("GENERATOR_JOBS") or cpus))
    forking = "fork" in multiprocessing.get_all_start_methods()
    return max(0, min(jobs - 1, cpus - 1)) if forking else 0


def _run(jobs: list[tuple[SpecTarget, Path, Path]], cache: Path | None) -> list[Future[None]]:
    """Generate every job (target, fresh tree, spec), the first here and the others in forked helper processes when
    there are CPUs for them (forked: the imports are done, nothing is started again); one future per job."""
    helpers = _helpers(len(jobs))
    futures: list[Future[None]] = []
    pool = None
    if helpers:
        sys.stdout.flush()
        sys.stderr.flush()
        pool = ProcessPoolExecutor(helpers, mp_context=multiprocessing.get_context("fork"))
    try:
        remote = (
            {i: pool.submit(_build, *jobs[i], cache) for i in range(1, len(jobs))} if pool else {}
        )
        for i, job in enumerate(jobs):
            if i in remote:
                futures.append(remote[i])
                continue
            here: Future[None] = Future()
            try:
                _build(*job, cache)
                here.set_result(None)
            except (SpecError, GenerationError) as exc:
                here.set_exception(exc)
            futures.append(here)
        for future in futures:
            future.exception()  # wait for every helper before the pool goes
    finally:
        if pool is not None:
            pool.shutdown()
    return futures


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    targets: list[SpecTarget] = [target_by_name(n) for n in args.only] or list(TARGETS)
    overrides = dict(item.split("=", 1) for item in args.spec)
    spec_paths = {
        t.name: Path(overrides[t.name]) if t.name in overrides else REPO_ROOT / t.spec
        for t in targets
    }
    cache = default_cache_dir()
    failed = False
    if args.lint_only:
        for target in targets:
            try:
                target.load_checked(
                    spec_paths[target.name], cache / "spec-check" if cache else None
                )
                print(f"{target.name}: {spec_paths[target.name]} is valid and lint-clean")
            except SpecError as exc:
                failed = True
                print(f"{target.name}: {exc}", file=sys.stderr)
        return 1 if failed else 0
    with tempfile.TemporaryDirectory(prefix="generate-", dir=_scratch_root()) as tmp:
        jobs = [(t, Path(tmp) / t.name / t.package_name, spec_paths[t.name]) for t in targets]
        # The results are compared or synced in target order, once all are generated.
        for (target, fresh, _), done in zip(jobs, _run(jobs, cache), strict=True):
            problem = done.exception()
            if isinstance(problem, (SpecError, GenerationError)):
                failed = True
                print(f"{target.name}: {problem}", file=sys.stderr)
            elif problem is not None:
                raise problem
            elif args.check:
                failed = not _check_result(target, fresh) or failed
            else:
                _sync_result(target, fresh, args.output or target.output_dir)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
