"""The client surface: resource-style clients (sync and async), method names, raw responses, auto-paging,
per-call timeouts, configuration from the environment, version and User-Agent, logging, ApiError.headers,
`Self` from the context managers, deprecation warnings (on a tiny generated spec)."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import poloniex_client as pc
import pytest
import threecommas_client as tc
import yaml
from poloniex_client._retry import RetryPolicy as PoloniexRetryPolicy
from threecommas_client._retry import RetryPolicy

from generator.pipeline import GenerationError, generate
from generator.resources import ResourceError, method_name, operations
from generator.specs import REPO_ROOT, TARGETS, target_by_name
from spec_tools.load import load_yaml

from .helpers import DOCS_API_KEY, DOCS_SECRET, RSA_KEY_PEM, SEED_003, Recorder, no_sleep

BY_TARGET = pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
TRADE = json.loads(SEED_003)


def spec_of(target: Any) -> dict[str, Any]:
    spec: dict[str, Any] = load_yaml(REPO_ROOT / target.spec)
    return spec


# --- method names ------------------------------------------------------------------------------------------------


@BY_TARGET
def test_every_operation_gets_a_unique_method_per_resource(target: Any) -> None:
    ops = operations(spec_of(target))
    seen: dict[tuple[str, str], str] = {}
    for op in ops:
        assert op.method.isidentifier() and not op.method.startswith("_"), op
        assert (op.resource, op.method) not in seen, (op, seen)
        seen[(op.resource, op.method)] = op.operation_id
    assert len(seen) == len(ops)


def test_the_naming_rule() -> None:
    assert method_name("create_smart_trade", "smart_trades") == "create"
    assert method_name("list_smart_trades", "smart_trades") == "list"
    assert method_name("add_funds_to_smart_trade", "smart_trades") == "add_funds"
    assert method_name("reduce_funds_of_smart_trade", "smart_trades") == "reduce_funds"
    assert method_name("close_smart_trade_by_market", "smart_trades") == "close_by_market"
    assert method_name("get_reduce_funds_info", "smart_trades") == "get_reduce_funds_info"
    assert method_name("list_smart_trade_trades", "smart_trade_trades") == "list"
    assert method_name("cancel_trade", "smart_trade_trades") == "cancel"
    assert method_name("list_smart_order_history", "smart_orders") == "list_history"
    assert method_name("smart_trades", "smart_trades") == "smart_trades"  # nothing left: the operationId


def _tiny(ops: dict[str, dict[str, Any]]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for op_id, extra in ops.items():
        paths[f"/{op_id}"] = {"get": {"operationId": op_id, "tags": ["things"], "responses": {"200": {"description": "ok"}},
                                      **extra}}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths}


def test_clashes_and_bad_extensions_are_refused() -> None:
    with pytest.raises(ResourceError, match="things.get"):
        operations(_tiny({"get_thing": {}, "get_things": {}}))
    ops = operations(_tiny({"get_thing": {}, "get_things": {"x-method-name": "get_all"}}))
    assert [o.method for o in ops] == ["get", "get_all"]
    with pytest.raises(ResourceError, match="not usable"):
        operations(_tiny({"with_raw_response_thing": {}}))
    with pytest.raises(ResourceError, match="x-pagination"):
        operations(_tiny({"list_things": {"x-pagination": {"style": "page", "page_param": "page", "size_param": "n"}}}))
    with pytest.raises(ResourceError, match="x-replaced-by"):
        operations(_tiny({"list_things": {"deprecated": True, "x-replaced-by": "nope"}}))


def test_the_specs_mark_their_paged_lists() -> None:
    paged = {o.operation_id: o.pagination for t in TARGETS for o in operations(spec_of(t)) if o.pagination}
    assert paged["list_smart_trades"].style == "page" and paged["list_smart_trades"].default_size == 10
    assert paged["list_smart_order_history"].style == "cursor"
    assert paged["list_smart_order_history"].cursor_field == "id"


# --- resources ---------------------------------------------------------------------------------------------------


def tc_client(recorder: Recorder, **kwargs: Any) -> tc.SignedClient:
    kwargs.setdefault("retry_policy", RetryPolicy(max_retries=2, backoff=0.0, sleep=no_sleep))
    return tc.SignedClient(api_key=DOCS_API_KEY, secret=DOCS_SECRET, transport=recorder.transport, **kwargs)


def test_resource_methods_call_their_operations() -> None:
    recorder = Recorder()
    body = tc.models.SmartTradeCreateRequest.from_dict(
        {"account_id": 1, "pair": "USDT_BTC", "instant": True,
         "position": {"type": "buy", "order_type": "market", "units": {"value": "1"}}}
    )
    with tc_client(recorder) as client:
        assert type(client) is tc.SignedClient  # Self, not the base class
        assert client.smart_trades.create(body=body).id == TRADE["id"]
        assert client.smart_trades.get(7).id == TRADE["id"]
        client.smart_trades.add_funds(7, body=tc.models.AddFundsRequest.from_dict(
            {"order_type": "market", "units": {"value": "1"}}))
        assert client.smart_trade_trades.list(7) == []
        raw = client.smart_trades.with_raw_response.get(7)
    assert raw.status_code == 200 and raw.headers["content-type"] == "application/json"
    assert raw.parsed.id == TRADE["id"]
    assert [(r.method, r.url.path) for r in recorder.requests] == [
        ("POST", "/public/api/v2/smart_trades"),
        ("GET", "/public/api/v2/smart_trades/7"),
        ("POST", "/public/api/v2/smart_trades/7/add_funds"),
        ("GET", "/public/api/v2/smart_trades/7/trades"),
        ("GET", "/public/api/v2/smart_trades/7"),
    ]


def test_async_client_has_awaitable_resources() -> None:
    recorder = Recorder()

    async def main() -> list[str]:
        async with tc.AsyncSignedClient(api_key=DOCS_API_KEY, secret=DOCS_SECRET, transport=recorder.transport) as client:
            assert type(client) is tc.AsyncSignedClient
            trade = await client.smart_trades.get(7)
            raw = await client.smart_trades.with_raw_response.cancel(trade.id)
            await client.smart_trade_trades.cancel(7, 8)
            return [str(raw.status_code)]

    assert asyncio.run(main()) == ["200"]
    assert [(r.method, r.url.path) for r in recorder.requests] == [
        ("GET", "/public/api/v2/smart_trades/7"),
        ("DELETE", f"/public/api/v2/smart_trades/{TRADE['id']}"),
        ("DELETE", "/public/api/v2/smart_trades/7/trades/8"),
    ]


def test_function_style_still_works_with_either_client_and_api_modules_are_attributes() -> None:
    recorder = Recorder()
    module = tc.api.smart_trades.get_smart_trade  # attribute access, no import statement
    assert pc.api.smart_orders.create_smart_order.sync is not None
    with tc_client(recorder) as client:
        assert module.sync(1, client=client).id == TRADE["id"]

    async def main() -> int:
        async with tc.AsyncSignedClient(api_key="k", secret="s", transport=recorder.transport) as client:
            return (await module.asyncio_detailed(1, client=client)).status_code

    assert asyncio.run(main()) == 200


# --- auto-paging -------------------------------------------------------------------------------------------------


def test_page_auto_paging_stops_at_a_short_page_sync_and_async() -> None:
    pages = [[dict(TRADE, id=i) for i in range(n * 10, n * 10 + size)] for n, size in enumerate([3, 3, 1])]
    recorder = Recorder([(200, p) for p in copy.deepcopy(pages)])
    with tc_client(recorder) as client:
        iterator = client.smart_trades.list_auto_paging(per_page=3, pair="USDT_BTC")
        assert recorder.requests == []  # lazy
        ids = [t.id for t in iterator]
    assert ids == [0, 1, 2, 10, 11, 12, 20]
    assert [dict(r.url.params) for r in recorder.requests] == [
        {"pair": "USDT_BTC", "page": str(n), "per_page": "3"} for n in (1, 2, 3)
    ]
    # Without per_page, the documented default (10) is the page size: a page of 3 is the last.
    recorder = Recorder([(200, pages[0])])

    async def main() -> list[int]:
        async with tc.AsyncSignedClient(api_key="k", secret="s", transport=recorder.transport) as client:
            return [t.id async for t in client.smart_trades.list_auto_paging(page=4)]

    assert asyncio.run(main()) == [0, 1, 2]
    assert [r.url.params["page"] for r in recorder.requests] == ["4"]


def test_cursor_auto_paging_on_poloniex() -> None:
    order = pc.models.SmartOrder.from_dict  # noqa: F841 - the shape comes from the spec's example below
    example = load_yaml(REPO_ROOT / "openapi" / "poloniex.yaml")["components"]["examples"]
    first = example["TriggeredSmartOrders"]["value"][0]
    pages = [[dict(first, id=str(i)) for i in ids] for ids in ([90, 80], [70, 60], [50])]
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=pages[len(seen) - 1])

    client = pc.SignedClient(api_key="k", secret="s", transport=httpx.MockTransport(handle),
                             retry_policy=PoloniexRetryPolicy(max_retries=0))
    with client:
        ids = [o.id for o in client.smart_orders.list_history_auto_paging(limit=2, symbol="BTC_USDT")]
    assert ids == ["90", "80", "70", "60", "50"]
    assert [r.url.params.get("from") for r in seen] == [None, "80", "60"]
    assert all(r.url.params["limit"] == "2" and r.url.params["symbol"] == "BTC_USDT" for r in seen)


# --- per-call timeout --------------------------------------------------------------------------------------------


def test_per_call_timeout_replaces_the_clients_for_that_call() -> None:
    recorder = Recorder()
    with tc_client(recorder, timeout=30.0) as client:
        client.smart_trades.get(1, timeout=2.5)
        tc.api.smart_trades.get_smart_trade.sync(1, client=client, timeout=httpx.Timeout(4.0))
        client.smart_trades.get(1)
    timeouts = [r.extensions["timeout"] for r in recorder.requests]
    assert timeouts[0]["read"] == 2.5 and timeouts[1]["read"] == 4.0 and timeouts[2]["read"] == 30.0


def test_per_call_timeout_is_a_deadline_async() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(1.0)
        return httpx.Response(200, json=TRADE)

    async def main() -> None:
        async with tc.AsyncSignedClient(api_key="k", secret="s", transport=httpx.MockTransport(slow),
                                        max_retries=0) as client:
            with pytest.raises(tc.ApiTimeoutError) as caught:
                await client.smart_trades.get(1, timeout=0.05)
            assert caught.value.timeout == 0.05

    asyncio.run(main())


# --- environment, version, User-Agent ----------------------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith(("THREECOMMAS_", "POLONIEX_")):
            monkeypatch.delenv(name)
    return monkeypatch


def test_configuration_from_the_environment(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("THREECOMMAS_API_KEY", "env-key-123")
    clean_env.setenv("THREECOMMAS_API_SECRET", "env-secret-456")
    clean_env.setenv("THREECOMMAS_BASE_URL", "https://example.test/public/api")
    clean_env.setenv("THREECOMMAS_FORCED_MODE", "paper")
    recorder = Recorder()
    with tc.SignedClient(transport=recorder.transport) as client:
        assert client.base_url == "https://example.test/public/api" and client.forced_mode == "paper"
        assert client.algorithm == "hmac"
        client.smart_trades.get(1)
    request = recorder.requests[0]
    assert request.headers["APIKEY"] == "env-key-123" and request.headers["Forced-Mode"] == "paper"
    assert str(request.url).startswith("https://example.test/public/api/v2/")
    # Explicit arguments win.
    explicit = tc.SignedClient(api_key="arg-key", secret="arg-secret", base_url="https://b.test", forced_mode="real")
    assert explicit.base_url == "https://b.test" and explicit.forced_mode == "real"
    # RSA from a key file.
    clean_env.delenv("THREECOMMAS_API_SECRET")
    key_file = tmp_path / "key.pem"
    key_file.write_text(RSA_KEY_PEM)
    clean_env.setenv("THREECOMMAS_RSA_KEY_FILE", str(key_file))
    assert tc.SignedClient().algorithm == "rsa"
    clean_env.setenv("POLONIEX_API_KEY", "pk")
    clean_env.setenv("POLONIEX_API_SECRET", "ps")
    clean_env.setenv("POLONIEX_BASE_URL", "https://p.test")
    assert pc.AsyncSignedClient().base_url == "https://p.test"


def test_missing_or_bad_configuration_is_a_clear_package_error(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(tc.ConfigurationError, match="THREECOMMAS_API_KEY"):
        tc.SignedClient()
    with pytest.raises(tc.ConfigurationError, match="THREECOMMAS_API_SECRET"):
        tc.SignedClient(api_key="very-secret-key")
    clean_env.setenv("THREECOMMAS_RSA_KEY_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(tc.ConfigurationError, match="RSA_KEY_FILE") as caught:
        tc.AsyncSignedClient(api_key="very-secret-key")
    assert "very-secret-key" not in str(caught.value) and "missing.pem" not in str(caught.value)
    clean_env.setenv("THREECOMMAS_FORCED_MODE", "live")
    with pytest.raises(tc.ConfigurationError, match="FORCED_MODE"):
        tc.SignedClient(api_key="k", secret="s")
    with pytest.raises(pc.ConfigurationError, match="POLONIEX_API_SECRET"):
        pc.SignedClient(api_key="k")
    assert issubclass(tc.ConfigurationError, (tc.ThreeCommasError, ValueError))


@pytest.mark.parametrize(("package", "project"), [(tc, "threecommas-client"), (pc, "poloniex-client")])
def test_version_and_user_agent(package: Any, project: str) -> None:
    # The version the generator computed, as in the package's pyproject.toml (the installed metadata may be older).
    pyproject = (REPO_ROOT / "generated_client" / package.__name__ / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{package.__version__}"' in pyproject
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(500)

    client = package.SignedClient(api_key="k", secret="s", transport=httpx.MockTransport(handle), max_retries=0)
    with client:
        assert client.call("probe", {"method": "GET", "url": "/x"}).status_code == 500
    ua = seen[0].headers["User-Agent"]
    assert ua.startswith(f"{project}/{package.__version__} python/3.") and f"httpx/{httpx.__version__}" in ua
    custom = package.SignedClient(api_key="k", secret="s", headers={"User-Agent": "mybot/1"},
                                  transport=httpx.MockTransport(handle), max_retries=0)
    custom.call("probe", {"method": "GET", "url": "/x"})
    assert seen[-1].headers["User-Agent"] == "mybot/1"


# --- logging, error headers --------------------------------------------------------------------------------------


def test_logging_records_attempts_and_retries_never_secrets(caplog: pytest.LogCaptureFixture) -> None:
    recorder = Recorder([(503, {"error": "busy"}), (200, TRADE)])
    caplog.set_level(logging.DEBUG, logger="threecommas_client")
    with tc_client(recorder) as client:
        client.smart_trades.get(5, timeout=3)
        client.smart_trades.list(per_page=2)
    records = [r for r in caplog.records if r.name == "threecommas_client"]
    debug = [r.getMessage() for r in records if r.levelno == logging.DEBUG]
    info = [r.getMessage() for r in records if r.levelno == logging.INFO]
    assert debug[0].startswith("get_smart_trade GET /public/api/v2/smart_trades/5 -> 503 in ")
    assert debug[0].endswith("(attempt 1)") and debug[1].endswith("(attempt 2)") and " -> 200 " in debug[1]
    assert info == [info[0]] and "status 503, retrying" in info[0] and "attempt 2 of 3" in info[0]
    assert records[0].__dict__["status_code"] == 503 and records[0].__dict__["attempt"] == 1
    text = caplog.text + "".join(repr(r.__dict__) for r in records)
    for request in recorder.requests:
        for name, value in request.headers.items():
            if name.lower() in ("apikey", "signature", "user-agent"):
                assert value not in text, name
    assert DOCS_API_KEY not in text and DOCS_SECRET not in text and "per_page" not in text


def test_api_errors_carry_the_response_headers() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, json={"error": "rate_limit"}, headers={"Retry-After": "7", "X-Request-Id": "r1"})

    with tc.SignedClient(api_key="k", secret="s", transport=httpx.MockTransport(handle)) as client:
        with pytest.raises(tc.RateLimited) as caught:
            client.smart_trades.get(1)
    assert caught.value.headers["retry-after"] == "7" and caught.value.headers["X-Request-Id"] == "r1"
    with pc.SignedClient(api_key="k", secret="s", transport=httpx.MockTransport(handle)) as pclient:
        with pytest.raises(pc.RateLimited) as pcaught:
            pclient.smart_orders.get("1")
    assert pcaught.value.headers["retry-after"] == "7"
    assert tc.errors.NotFound(404, error="x").headers == httpx.Headers()


# --- deprecation and offset paging, on a tiny generated package --------------------------------------------------

TINY = {
    "openapi": "3.1.0",
    "info": {"title": "tiny", "version": "1.0.0"},
    "servers": [{"url": "https://tiny.test"}],
    "paths": {
        "/v1/things": {"get": {
            "operationId": "list_things_v1", "tags": ["things_v1"], "summary": "Old list", "description": "Old.",
            "deprecated": True, "x-replaced-by": "list_things",
            "x-pagination": {"style": "offset", "offset_param": "offset", "size_param": "limit"},
            "parameters": [
                {"name": "offset", "in": "query", "schema": {"type": "integer"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 2}},
            ],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}}}},
        }},
        "/v1/things/{id}": {"get": {
            "operationId": "get_thing_v1", "tags": ["things_v1"], "summary": "Old get", "description": "Old.",
            "deprecated": True,
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/Thing"}}}}},
        }},
        "/v2/things": {"get": {
            "operationId": "list_things", "tags": ["things"], "summary": "List", "description": "New.",
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}}}},
        }},
    },
    "components": {"schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "integer"}}}}},
}

EXERCISE = """
import asyncio, json, warnings
import httpx
import threecommas_client as tiny

pages = {"0": [1, 2], "2": [3, 4], "4": [5]}
def handle(request):
    if request.url.path.startswith("/v1/things/"):
        return httpx.Response(200, json={"id": 9})
    return httpx.Response(200, json=[{"id": i} for i in pages.get(request.url.params.get("offset"), [])])

client = tiny.SignedClient(api_key="k", secret="s", transport=httpx.MockTransport(handle))
out = {}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    out["ids"] = [t.id for t in client.things_v1.list_auto_paging()]  # line 16
    client.things_v1.get(9)  # line 17
    tiny.api.things_v1.get_thing_v1.sync(9, client=client)  # line 18
    client.things_v1.with_raw_response.get(9)  # line 19
    async def main():
        async with tiny.AsyncSignedClient(api_key="k", secret="s", transport=httpx.MockTransport(handle)) as c:
            return [t.id async for t in c.things_v1.list_auto_paging()]  # line 22
    out["async_ids"] = asyncio.run(main())
    client.things.list()
out["warnings"] = [(w.category.__name__, str(w.message), w.lineno, w.filename) for w in caught]
print(json.dumps(out))
"""


def test_deprecated_operations_warn_at_the_caller_and_offset_paging(tmp_path: Path) -> None:
    spec = tmp_path / "tiny.yaml"
    spec.write_text(yaml.safe_dump(TINY))
    target = target_by_name("threecommas")
    out = tmp_path / "out" / target.package_name
    generate(target, out, spec)
    script = tmp_path / "exercise.py"
    script.write_text(textwrap.dedent(EXERCISE))
    env = {**os.environ, "PYTHONPATH": str(out)}
    result = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120,
                            check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["ids"] == [1, 2, 3, 4, 5] and seen["async_ids"] == [1, 2, 3, 4, 5]
    warned = [w for w in seen["warnings"] if w[0] == "DeprecationWarning"]
    assert all(w[3] == str(script) for w in warned), warned  # the caller's file, not the package's
    assert [w[2] for w in warned] == [16, 17, 18, 19, 22]
    assert "list_things_v1 (GET /v1/things) is deprecated; use list_things (GET /v2/things, client.things.list)" \
        in warned[0][1]
    assert "get_thing_v1 (GET /v1/things/{id}) is deprecated and may be removed" in warned[1][1]


def test_a_clash_fails_generation(tmp_path: Path) -> None:
    spec = copy.deepcopy(TINY)
    spec["paths"]["/v2/things"]["get"]["tags"] = ["things_v1"]
    # list_things_v1 and list_things are both `list` under one tag.
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(spec))
    with pytest.raises(GenerationError, match="things_v1.list"):
        generate(target_by_name("threecommas"), tmp_path / "out", path)
