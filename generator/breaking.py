"""`python -m generator.breaking [--only NAME]`: every target of generator/specs.py against its last released
spec. The rules and the gate are spec_tools/breaking.py; the names re-exported below are for
compatibility: remove them once all importers use spec_tools."""

from __future__ import annotations

import argparse
import sys

from spec_tools import breaking
from spec_tools.breaking import (
    ALLOW_LIST,
    RELEASED_DIR,
    RULES,
    Change,
    Verdict,
    baseline_for,
    compare,
    judge,
    load,
    load_allow_list,
    pattern_samples,
    report,
)

__all__ = [
    "ALLOW_LIST",
    "RELEASED_DIR",
    "RULES",
    "Change",
    "Verdict",
    "baseline_for",
    "compare",
    "judge",
    "load",
    "load_allow_list",
    "main",
    "pattern_samples",
    "report",
]


def main(argv: list[str] | None = None) -> int:
    from .specs import REPO_ROOT, TARGETS

    doc = breaking.__doc__ or ""
    parser = argparse.ArgumentParser(
        prog="python -m generator.breaking", description=doc.split("\n\n")[0]
    )
    parser.add_argument("--only", action="append", default=[], help="target name (repeatable)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    allowed = load_allow_list(REPO_ROOT / ALLOW_LIST)
    failed = False
    for target in TARGETS:
        if args.only and target.name not in args.only:
            continue
        baseline = baseline_for(target.spec, REPO_ROOT / RELEASED_DIR)
        if baseline is None:
            print(
                f"{target.name}: no released baseline in {RELEASED_DIR}/ ({target.spec.stem}-<version>.yaml); skipped"
            )
            continue
        verdict = judge(target.name, load(baseline), load(REPO_ROOT / target.spec), allowed)
        print("\n".join(report(target.name, verdict)))
        failed |= not verdict.ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
