"""The contract-test kit as a bot author meets it: the example suite in examples/bot_tests/ and the
plugin's options, each run by a separate pytest with the plugin loaded by `-p`, as an installed
package's entry point would load it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "bot_tests"


def run_pytest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Only the kit's plugin (named below): the plugins installed here for this repository's own
    # tests (Schemathesis, Hypothesis, xdist...) are not the kit's, and cost a second per run.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "reference_server.pytest_plugin", *args],
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_example_bot_suite_passes() -> None:
    done = run_pytest("-q", "-p", "no:cacheprovider", str(EXAMPLE), cwd=EXAMPLE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "6 passed" in done.stdout


def test_options_users_file_rate_limit_and_lenient(tmp_path: Path) -> None:
    (tmp_path / "users.yaml").write_text(
        "users:\n"
        "  - api_key: alice\n"
        "    secret: alice-secret\n"
        "    accounts: [{id: 77, type: binance}]\n"
        "  - {api_key: bob, secret: bob-secret}\n",
        encoding="utf-8",
    )
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nreference_server_users = users.yaml\nreference_server_lenient = true\n",
        encoding="utf-8",
    )
    (tmp_path / "test_options.py").write_text(
        "import httpx\n"
        "\n"
        "def test_users(reference_server, threecommas_api):\n"
        "    assert [u.api_key for u in reference_server.threecommas_users] == ['alice', 'bob']\n"
        "    assert (threecommas_api.api_key, threecommas_api.account_id) == ('alice', 77)\n"
        "    assert threecommas_api.base_url.endswith('/public/api')\n"
        "    assert set(reference_server.spec_versions) == {'3commas', 'poloniex'}\n"
        "    assert reference_server.rate_limit and reference_server.lenient\n"
        "    answer = httpx.get(threecommas_api.base_url + '/v2/smart_trades',\n"
        "                       auth=threecommas_api.auth())\n"
        "    assert answer.status_code == 200, answer.text\n"
        "\n"
        "def test_no_poloniex_users(poloniex_api):\n"
        "    pass\n",
        encoding="utf-8",
    )
    done = run_pytest("-q", "-p", "no:cacheprovider", "--reference-rate-limit", cwd=tmp_path)
    assert "1 passed, 1 error" in done.stdout, done.stdout + done.stderr
    assert "lists no `poloniex_users:`" in done.stdout


def test_a_broken_users_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "users.yaml").write_text("users: 3\n", encoding="utf-8")
    (tmp_path / "test_it.py").write_text(
        "def test_it(reference_server):\n    pass\n", encoding="utf-8"
    )
    done = run_pytest(
        "-q", "-p", "no:cacheprovider", "--reference-users", "users.yaml", cwd=tmp_path
    )
    assert done.returncode != 0
    assert "reference server users file" in done.stdout + done.stderr


def test_nothing_starts_without_a_fixture(tmp_path: Path) -> None:
    (tmp_path / "test_plain.py").write_text(
        "import threading\n"
        "\n"
        "def test_plain():\n"
        "    assert all(t.name == 'MainThread' for t in threading.enumerate())\n",
        encoding="utf-8",
    )
    done = run_pytest("-q", "-p", "no:cacheprovider", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
