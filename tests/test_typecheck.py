"""The hand-written code passes `mypy --strict` (the generated packages have their own test in
tests/client/test_generator.py; the READMEs' code blocks in tests/client/test_readme_typecheck.py).
All of them are one mypy run (tests/mypy_run.py)."""

from __future__ import annotations

import pytest

from tests.mypy_run import GENERATED, HAND_WRITTEN, Report, register, report

# Every run type-checks this too, so a run that checks nothing cannot pass the tests that read it.
register("a deliberate type error", 'count: int = "three"\n')


@pytest.mark.xdist_group("mypy")
def test_hand_written_code_is_mypy_strict_clean() -> None:
    assert report().errors_in(*HAND_WRITTEN) == ""


@pytest.mark.xdist_group("mypy")
def test_the_run_reports_each_error_under_its_source() -> None:
    run = report()
    wrong = run.errors_in("a deliberate type error")
    assert wrong.startswith("a deliberate type error:2: error: Incompatible types in assignment")
    assert run.returncode == 1
    assert "a deliberate type error" not in run.errors_in(*HAND_WRITTEN, *GENERATED)


def test_errors_are_read_by_folder_and_name() -> None:
    run = Report(
        1,
        (("spec_tools/load.py", "spec_tools/load.py:3: error: x"), ("readme#1", "readme#1:2: error: y")),
        "Found 2 errors",
    )
    assert run.errors_in("spec_tools") == "spec_tools/load.py:3: error: x"
    assert run.errors_in("spec") == ""  # a folder, not a prefix of a name
    assert run.errors_in("readme#1") == "readme#1:2: error: y"
    crashed = Report(2, (), "mypy: error: bad config")
    assert "bad config" in crashed.errors_in("spec_tools")
    # A crash after some errors were printed still fails every test that reads the run.
    midway = Report(2, run.lines, "Traceback (most recent call last): ...")
    assert "Traceback" in midway.errors_in("docs")
