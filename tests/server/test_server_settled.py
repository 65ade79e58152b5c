"""Settled trades (threecommas/store.py): a trade that advancing to its quote leaves as it is is
read without a copy and answered from its noted rendering, until a commit changes it or its price
moves; never while a stop loss waits out its timeout. And the copies behind it (snapshots.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from reference_server.app import ReferenceServer
from reference_server.rate_limit import RateLimiter
from reference_server.snapshots import clone, same
from reference_server.testing import ServerThread
from reference_server.threecommas.store import Store

from .conftest import OTHER_KEY, OTHER_SECRET, Api, users
from .test_server_lifecycle import smart_trade


@dataclass
class Leaf:
    value: Decimal
    at: datetime


@dataclass
class Node:
    leaves: list[Leaf]
    extra: dict[str, Any] = field(default_factory=dict)
    first: Leaf | None = None


def test_clone_copies_every_container_and_keeps_shared_references_shared() -> None:
    leaf = Leaf(Decimal("1.0"), datetime(2024, 1, 1, tzinfo=UTC))
    node = Node([leaf], {"a": [1, {"b": 2}]}, first=leaf)
    copy = clone(node)
    assert copy == node and copy is not node and copy.leaves is not node.leaves
    assert copy.extra["a"][1] is not node.extra["a"][1]
    assert copy.first is copy.leaves[0]  # as deepcopy: one object, still one
    copy.leaves[0].value = Decimal(2)
    assert node.leaves[0].value == Decimal("1.0") and copy.first.value == Decimal(2)


def test_same_tells_apart_what_renders_differently() -> None:
    leaf = Leaf(Decimal("1.0"), datetime(2024, 1, 1, tzinfo=UTC))
    assert same(Node([leaf]), clone(Node([leaf])))
    assert not same(Leaf(Decimal("1.0"), leaf.at), Leaf(Decimal("1.00"), leaf.at))
    assert not same(Leaf(Decimal(0), leaf.at), Leaf(Decimal("-0"), leaf.at))
    shifted = leaf.at.astimezone(timezone(timedelta(hours=1)))
    assert shifted == leaf.at and not same(leaf, Leaf(leaf.value, shifted))
    assert not same(Node([leaf], {"a": 1, "b": 2}), Node([leaf], {"b": 2, "a": 1}))
    assert not same(1, True) and not same(float("1.5"), float("1.5"))  # a float: never assumed


def test_a_settled_trade_answers_from_its_note_until_it_or_its_price_changes() -> None:
    store = Store()
    server = ReferenceServer(users=users(), rate_limiter=RateLimiter(enabled=False), store=store)
    with ServerThread(server.app) as running:
        api, other = Api(running.base_url), Api(running.base_url, OTHER_KEY, OTHER_SECRET)
        api.price("USDT_SET", "100")
        tid = api.ok("POST", "/v2/smart_trades", smart_trade("USDT_SET"))["id"]
        first = api.call("GET", f"/v2/smart_trades/{tid}").content
        assert api.call("GET", f"/v2/smart_trades/{tid}").content == first
        settled = store._settled[tid]
        assert settled.trade is store._trades[tid] and settled.body == first
        # Another user's request never sees it, settled or not.
        assert other.call("GET", f"/v2/smart_trades/{tid}").status_code == 404

        api.ok("POST", f"/v2/smart_trades/{tid}/set_note", {"note": "changed"})
        assert api.ok("GET", f"/v2/smart_trades/{tid}")["note"] == "changed"

        before = api.ok("GET", f"/v2/smart_trades/{tid}")
        api.price("USDT_SET", "105")  # no target reached: only the profit moves
        after = api.ok("GET", f"/v2/smart_trades/{tid}")
        assert after["status"] == before["status"]
        assert after["profit"] != before["profit"]
        api.price("USDT_SET", "111")  # the first take profit fills
        steps = api.ok("GET", f"/v2/smart_trades/{tid}")["take_profit"]["steps"]
        assert steps[0]["status"]["type"] != before["take_profit"]["steps"][0]["status"]["type"]
        listed = api.ok("GET", "/v2/smart_trades", params={"pair": "USDT_SET"})
        assert [t["take_profit"]["steps"] for t in listed] == [steps]
        api.http.close()
        other.http.close()


def test_a_stop_loss_waiting_out_its_timeout_is_never_settled() -> None:
    now = [datetime(2024, 8, 12, 14, 35, 21, tzinfo=UTC)]
    store = Store(clock=lambda: now[0])
    server = ReferenceServer(rate_limiter=RateLimiter(enabled=False), store=store)
    with ServerThread(server.app) as running:
        api = Api(running.base_url)
        api.price("USDT_WAIT", "100")
        body = smart_trade("USDT_WAIT")
        body["stop_loss"]["timeout"] = {"enabled": True, "value": "60"}
        tid = api.ok("POST", "/v2/smart_trades", body)["id"]
        api.price("USDT_WAIT", "89")
        for _ in range(3):
            assert api.ok("GET", f"/v2/smart_trades/{tid}")["status"]["type"] == "waiting_targets"
            assert tid not in store._settled
        now[0] += timedelta(seconds=61)
        trade = api.ok("GET", f"/v2/smart_trades/{tid}")
        assert trade["status"]["type"] == "stop_loss_finished"
        api.http.close()
