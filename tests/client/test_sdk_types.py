"""The SDK's types as a user meets them: plain optional fields with exact write-back, one friendly type per request
field sent in its canonical form, enum Literal strings accepted, each field's own description, a repr without
placeholders. Each test here failed on the three-state (`X | None | Unset`) models."""

from __future__ import annotations

import json
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from threecommas_client import models
from threecommas_client._wire import dumps, loads
from threecommas_client.api.smart_trades import list_smart_trades
from threecommas_client.models import (
    EntryOrderType,
    ForcedMode,
    OrderSide,
    PositionParams,
    SmartTrade,
    SmartTradeCreateRequest,
    TakeProfit,
    UnitsParams,
)

from tests.mypy_run import register, report

from .helpers import SEED_003, load_spec
from .test_models import normalize

SPEC = load_spec()
REF = "#/components/schemas/"

SNIPPET = '''
from decimal import Decimal

from threecommas_client import AuthenticatedClient
from threecommas_client._wire import loads
from threecommas_client.api.smart_trades import list_smart_trades
from threecommas_client.models import PositionParams, SmartTrade, SmartTradeCreateRequest, UnitsParams


def read(text: str) -> list[Decimal | None]:
    trade = SmartTrade.from_dict(loads(text))
    note: str | None = trade.note  # absent and null both read None: no Unset to rule out
    assert trade.position.price is not None  # an optional object is None when absent, nothing else
    price: Decimal | None = trade.position.price.value
    volumes: list[Decimal | None] = [price]
    for step in trade.take_profit.steps:  # an absent array reads []: no narrowing
        volumes.append(step.volume)
    return volumes if note is None or note else []


def write(client: AuthenticatedClient) -> None:
    body = SmartTradeCreateRequest(
        account_id=12345678,
        pair="USDT_BTC",
        instant=True,
        position=PositionParams(type_="buy", order_type="limit", units=UnitsParams(value=Decimal("0.01"))),
    )
    enabled: bool | None = body.instant
    account: int = body.account_id
    list_smart_trades.sync(client=client, forced_mode="paper", type_="smart_trade", order_direction="desc")
    print(enabled, account)
'''


register("the SDK-types snippet", SNIPPET)


@pytest.mark.xdist_group("mypy")
def test_mypy_strict_reads_and_writes_without_unset() -> None:
    assert report().errors_in("the SDK-types snippet") == ""


# --- presence: absent and null both read None; to_dict writes back exactly the keys that arrived ------------


def _seed() -> dict[str, Any]:
    data: dict[str, Any] = loads(SEED_003)
    return data


@pytest.mark.parametrize(
    ("label", "mutate"),
    [
        ("optional key absent", lambda r: r.pop("note_raw")),
        ("optional key null", lambda r: r.__setitem__("note_raw", None)),
        ("non-nullable key null kept as null", lambda r: r.__setitem__("instant", None)),
        ("array absent", lambda r: r["take_profit"].pop("steps")),
        ("array empty", lambda r: r["take_profit"].__setitem__("steps", [])),
        ("nested object absent", lambda r: r["position"].pop("price")),
        ("nullable object null", lambda r: r["data"].__setitem__("current_price", None)),
    ],
)
def test_absent_and_null_read_none_and_round_trip_exactly(label: str, mutate: Any) -> None:
    raw = _seed()
    mutate(raw)
    wire = loads(dumps(raw))
    trade = SmartTrade.from_dict(wire)
    out = loads(dumps(trade.to_dict()))
    assert normalize(out) == normalize(wire)  # same keys, same values (null stays null, absent stays absent)
    assert SmartTrade.from_dict(trade.to_dict()) == trade


def test_absent_values_read_plainly() -> None:
    raw = _seed()
    raw.pop("note_raw")
    raw["take_profit"].pop("steps")
    raw["position"].pop("price")
    trade = SmartTrade.from_dict(raw)
    assert trade.note_raw is None
    assert trade.take_profit.steps == []
    assert trade.position.price is None
    out = trade.to_dict()
    assert "note_raw" not in out and "steps" not in out["take_profit"] and "price" not in out["position"]


def test_models_built_in_code_send_only_what_is_set() -> None:
    assert TakeProfit(enabled=False).to_dict() == {"enabled": False}
    steps_set = TakeProfit(enabled=True, price_type="value")
    assert steps_set.to_dict() == {"enabled": True, "price_type": "value"}


# --- requests: one friendly type per field, sent in canonical form -------------------------------------------


def _request(**extra: Any) -> SmartTradeCreateRequest:
    return SmartTradeCreateRequest(
        account_id=12345678,
        pair="USDT_BTC",
        position=PositionParams(type_="buy", order_type="limit", units=UnitsParams(value=Decimal("0.01"))),
        **extra,
    )


def test_request_fields_are_friendly_and_sent_canonically() -> None:
    body = _request(instant=True)
    assert body.position.type_ is OrderSide.BUY and body.position.order_type is EntryOrderType.LIMIT
    sent = json.loads(dumps(body.to_dict()))
    assert sent == {
        "account_id": 12345678,
        "pair": "USDT_BTC",
        "instant": True,
        "position": {"type": "buy", "order_type": "limit", "units": {"value": "0.01"}},
    }
    assert b'"instant":true' in dumps(body.to_dict()).replace(b" ", b"")


def test_request_from_dict_reads_the_loose_spellings_and_sends_the_canonical_ones() -> None:
    wire = {
        "account_id": "12345678",
        "pair": "USDT_BTC",
        "instant": "true",
        "skip_enter_step": "false",
        "position": {"type": "buy", "order_type": "market", "units": {"value": 0.01}},
    }
    body = SmartTradeCreateRequest.from_dict(wire)
    assert body.account_id == 12345678 and body.instant is True and body.skip_enter_step is False
    assert body.position.units.value == Decimal("0.01")
    sent = json.loads(dumps(body.to_dict()))
    assert sent["account_id"] == 12345678 and sent["instant"] is True and sent["skip_enter_step"] is False
    assert sent["position"]["units"]["value"] == "0.01"


@pytest.mark.parametrize("bad", [{"instant": "yes"}, {"instant": 1}, {"account_id": "12a"}, {"account_id": 1.5}])
def test_request_from_dict_names_the_field_of_a_bad_spelling(bad: dict[str, Any]) -> None:
    wire = {"account_id": 1, "pair": "USDT_BTC", "position": {"type": "buy", "order_type": "market", "units": {"value": "1"}}}
    wire.update(bad)
    with pytest.raises(ValueError, match=f"SmartTradeCreateRequest.{next(iter(bad))}"):
        SmartTradeCreateRequest.from_dict(wire)


def test_enum_parameters_take_their_literal_strings() -> None:
    kwargs = list_smart_trades._get_kwargs(forced_mode="paper", type_="smart_trade", order_direction="desc")
    assert kwargs["headers"]["Forced-Mode"] == "paper"
    assert kwargs["params"]["type"] == "smart_trade" and kwargs["params"]["order_direction"] == "desc"
    same = list_smart_trades._get_kwargs(forced_mode=ForcedMode.PAPER, type_=models.SmartTradeKind.SMART_TRADE)
    assert same["headers"]["Forced-Mode"] == "paper" and same["params"]["type"] == "smart_trade"


# --- documentation: each field's own description -------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(text.replace("\\", "").split())


def _documented_fields() -> list[tuple[str, str, str]]:
    """(model, property, its own description) for every component property whose description sits beside a $ref."""
    out = []
    for name, schema in SPEC["components"]["schemas"].items():
        for prop, sub in (schema.get("properties") or {}).items():
            if isinstance(sub, dict) and "$ref" in sub and sub.get("description") and hasattr(models, name):
                out.append((name, prop, sub["description"]))
    return out


DOCUMENTED = _documented_fields()


def test_enough_fields_point_at_shared_components() -> None:
    assert len(DOCUMENTED) >= 100


@pytest.mark.parametrize(("model", "prop", "description"), DOCUMENTED, ids=[f"{m}.{p}" for m, p, _ in DOCUMENTED])
def test_model_docstring_has_the_fields_own_description(model: str, prop: str, description: str) -> None:
    doc = _flat(getattr(models, model).__doc__ or "")
    assert _flat(description)[:60] in doc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SmartTradeCreateRequest.__doc__, "instant (bool | None): `true` for a Simple Buy or Simple Sell"),
        (SmartTradeCreateRequest.__doc__, "account_id (int): The exchange account to trade on"),
        (list_smart_trades.sync.__doc__, "page (int | Unset): Page number, from 1."),
        (list_smart_trades.sync.__doc__, "per_page (int | Unset): SmartTrades per page."),
        (list_smart_trades.sync.__doc__, "account_id (int | Unset): Only SmartTrades of this exchange account."),
    ],
)
def test_docstrings_name_the_fields_own_meaning(text: str | None, expected: str) -> None:
    assert expected in _flat(text or "")


# --- repr ----------------------------------------------------------------------------------------------------


def test_repr_shows_present_fields_only() -> None:
    raw = _seed()
    raw.pop("note_raw")
    trade = SmartTrade.from_dict(raw)
    text = repr(trade)
    assert "Unset" not in text and "UNSET" not in text
    assert "note_raw" not in text and text.startswith("SmartTrade(id=")
    body = _request()
    assert "Unset" not in repr(body) and "instant" not in repr(body)
    assert repr(TakeProfit(enabled=False)) == "TakeProfit(enabled=False)"
    assert "note=None" in repr(SmartTrade.from_dict({**_seed(), "note": None}))  # a null that arrived is shown


@pytest.mark.parametrize("name", sorted(n for n in dir(models) if isinstance(getattr(models, n), type)))
def test_no_model_repr_mentions_unset(name: str) -> None:
    cls = getattr(models, name)
    if not hasattr(cls, "from_dict"):
        return
    source = textwrap.dedent(Path(sys.modules[cls.__module__].__file__ or "").read_text())
    assert "def __repr__" in source
