"""Poloniex smart orders: per-user books, the lifecycle, and every operation the API offers.

Requests arrive validated against openapi/poloniex.yaml (the core does that), as dicts of JSON
values; decimals may be strings or numbers and `side` any letter case. Rules the schema cannot
state are checked here and refused with a `PoloniexError`.

Lifecycle (states and allowed actions in `states.TABLE`; `transition` changes them):

- `STOP`, `STOP_LIMIT`: `PENDING_NEW` until the last price reaches `stopPrice`, upwards for a BUY
  (`last >= stopPrice`), downwards for a SELL (`last <= stopPrice`); then `TRIGGERED`.
- `TRAILING_STOP`, `TRAILING_STOP_LIMIT`: trailing starts when the last price compares to
  `stopPrice` by `operator` (default GTE for a SELL, LTE for a BUY), or at creation without
  `stopPrice`; `activationPrice` is the last price then. From there the best price is followed
  (the highest for a SELL, the lowest for a BUY) and the order triggers when the last price turns
  back by `trailingOffset` (a distance, or a percentage of the best price).
- On trigger the regular order is placed: `MARKET` for `STOP` and `TRAILING_STOP`, filled at once
  at the ask (BUY) or bid (SELL); `LIMIT` at `price` (`STOP_LIMIT`) or at the trigger's last
  price plus (BUY) or minus (SELL) `limitOffset` (`TRAILING_STOP_LIMIT`), filled at once at the
  ask/bid when they reach the limit, else resting (`GTC`, filled at its limit when the market
  reaches it later) or `EXPIRED` (`IOC`, `FOK`). An order sized by `amount` fills
  `amount / price` floored to 1e-8; when that, or a limit price, is not above zero the order
  cannot be placed and the smart order ends `FAILED`.

Prices: the engine reads `reference_server.prices.PriceBook` under the 3Commas name of the
market (`pairs.threecommas_pair`), so both APIs trade one simulated market. `on_price(symbol)`
(or `on_pair(pair)`) moves every order of a market after a price change; every operation first
moves the user's orders to the current prices, so nothing is missed between price changes but a
trailing high that came and went between two calls.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from ..prices import PriceBook, Quote
from ..protocol import wall_clock_ms
from .decimals import (
    ZERO,
    Offset,
    add,
    clean,
    floor_quantity,
    mul,
    parse_offset,
    parse_positive,
    sub,
)
from .errors import (
    NOTHING_TO_CANCEL_CANCELED,
    NOTHING_TO_CANCEL_FINAL,
    ORDER_NOT_FOUND,
    PoloniexError,
    client_order_id_exists,
    invalid_parameter,
    order_not_found,
)
from .pairs import is_symbol, poloniex_symbol, threecommas_pair
from .states import Action, ForbiddenTransition, OrderState, SmartOrderState, next_state

Clock = Callable[[], int]

ACCOUNT_TYPE: Final = "SPOT"
ORDER_SOURCE: Final = "SMART"


class Side(StrEnum):
    BUY = "BUY"
    SELL = "SELL"


class SmartOrderType(StrEnum):
    STOP = "STOP"
    STOP_LIMIT = "STOP_LIMIT"
    TRAILING_STOP = "TRAILING_STOP"
    TRAILING_STOP_LIMIT = "TRAILING_STOP_LIMIT"


TRAILING_TYPES: Final = frozenset(
    {SmartOrderType.TRAILING_STOP, SmartOrderType.TRAILING_STOP_LIMIT}
)
LIMIT_TYPES: Final = frozenset({SmartOrderType.STOP_LIMIT, SmartOrderType.TRAILING_STOP_LIMIT})
# `list_smart_orders` without `types`, and cancel-all without `orderTypes` (the vendor default).
DEFAULT_TYPES: Final = (SmartOrderType.STOP, SmartOrderType.STOP_LIMIT)
TIME_IN_FORCE: Final = ("GTC", "IOC", "FOK")
OPERATORS: Final = ("GTE", "LTE")
MAX_OPEN_LIMIT: Final = 2000


@dataclass
class TriggeredOrder:
    """The regular order a smart order placed when it triggered."""

    id: int
    client_order_id: str
    symbol: str
    side: Side
    type: str  # MARKET or LIMIT
    time_in_force: str
    quantity: Decimal | None  # as the smart order was sized
    amount: Decimal | None
    price: Decimal | None  # the limit price; None for MARKET
    state: OrderState
    create_time: int
    update_time: int = 0
    filled_quantity: Decimal = ZERO
    filled_amount: Decimal = ZERO
    avg_price: Decimal = ZERO


@dataclass
class SmartOrder:
    id: int
    owner: str
    client_order_id: str
    symbol: str
    side: Side
    type: SmartOrderType
    time_in_force: str
    quantity: Decimal | None
    amount: Decimal | None
    price: Decimal | None
    stop_price: Decimal | None
    create_time: int
    trailing_offset: Offset | None = None
    limit_offset: Offset | None = None
    operator: str | None = None
    account_type: str = ACCOUNT_TYPE
    state: SmartOrderState = SmartOrderState.PENDING_NEW
    update_time: int = 0
    activation_price: Decimal | None = None
    best_price: Decimal | None = None  # while trailing: the best last price since activation
    triggered_order: TriggeredOrder | None = None

    @property
    def trailing(self) -> bool:
        return self.type in TRAILING_TYPES

    @property
    def live(self) -> bool:
        """Still moved by prices: pending, or triggered with a resting limit order."""
        if self.state == SmartOrderState.PENDING_NEW:
            return True
        order = self.triggered_order
        return order is not None and order.state == OrderState.NEW


@dataclass(frozen=True)
class CancelOutcome:
    """One item of a cancel answer (`CancelResult`)."""

    order_id: str
    client_order_id: str
    state: str
    code: int
    message: str


def transition(order: SmartOrder, action: Action, now: int) -> SmartOrderState:
    """The one place a smart order's state changes (`states.TABLE` decides)."""
    order.state = next_state(order.state, action)
    order.update_time = now
    return order.state


# ---- request parsing -----------------------------------------------------------------------


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise invalid_parameter(f"Invalid {field}")
    return value


def _choice(value: object, field: str, choices: Iterable[str], upper: bool = False) -> str:
    text = _text(value, field)
    if upper:
        text = text.upper()
    if text not in choices:
        raise invalid_parameter(f"Invalid {field}")
    return text


def _symbol(value: object) -> str:
    text = _text(value, "symbol")
    if not is_symbol(text):
        raise PoloniexError(400, 25019, "Invalid symbol")
    return text


def _account_type(value: object) -> str:
    if value != ACCOUNT_TYPE:
        raise PoloniexError(400, 25018, "Invalid accountType")
    return ACCOUNT_TYPE


def _optional_positive(body: Mapping[str, Any], field: str) -> Decimal | None:
    value = body.get(field)
    return None if value is None else parse_positive(value, field)


def _optional_offset(body: Mapping[str, Any], field: str) -> Offset | None:
    value = body.get(field)
    return None if value is None else parse_offset(value, field)


# The spec's bound on every integer query parameter (`limit`, `from`, `startTime`, `endTime`): int64.
MAX_INT_PARAM: Final = 2**63 - 1


def _int_param(value: object, field: str, minimum: int = 0) -> int:
    if isinstance(value, bool):
        raise invalid_parameter(f"Invalid {field}")
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    if not isinstance(value, int) or not minimum <= value <= MAX_INT_PARAM:
        raise invalid_parameter(f"Invalid {field}")
    return value


def _bool_param(value: object, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise invalid_parameter(f"Invalid {field}")


def _list_param(value: object, field: str) -> list[str]:
    """A comma-separated query value, or a JSON array of strings."""
    if isinstance(value, str):
        return [item for item in value.split(",") if item]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    raise invalid_parameter(f"Invalid {field}")


def _types(value: object, field: str) -> set[SmartOrderType]:
    names = _list_param(value, field)
    if any(name not in SmartOrderType.__members__ for name in names):
        raise invalid_parameter(f"Invalid {field}")
    return {SmartOrderType(name) for name in names}


def _build(
    owner: str, order_id: int, body: Mapping[str, Any], quote: Quote, now: int
) -> SmartOrder:
    """A new `PENDING_NEW` smart order from a create body (or a replace's merged body)."""
    symbol = _symbol(body.get("symbol"))
    side = Side(_choice(body.get("side"), "side", Side.__members__, upper=True))
    if "accountType" in body:
        _account_type(body["accountType"])
    price = _optional_positive(body, "price")
    if "type" in body:
        kind = SmartOrderType(_choice(body["type"], "type", SmartOrderType.__members__))
    else:
        kind = SmartOrderType.STOP if price is None else SmartOrderType.STOP_LIMIT
    tif = _choice(body.get("timeInForce", "GTC"), "timeInForce", TIME_IN_FORCE)
    quantity = _optional_positive(body, "quantity")
    amount = _optional_positive(body, "amount")
    if quantity is None and amount is None:
        raise invalid_parameter("quantity or amount is required")
    stop_price = _optional_positive(body, "stopPrice")
    client_order_id = body.get("clientOrderId", "")
    _text(client_order_id, "clientOrderId")
    order = SmartOrder(
        id=order_id,
        owner=owner,
        client_order_id=client_order_id,
        symbol=symbol,
        side=side,
        type=kind,
        time_in_force=tif,
        quantity=quantity,
        amount=amount,
        price=price,
        stop_price=stop_price,
        create_time=now,
    )
    if kind == SmartOrderType.STOP_LIMIT and price is None:
        raise invalid_parameter("price is required for STOP_LIMIT")
    if not order.trailing:
        # Trailing settings mean nothing to a stop; they are dropped, not refused.
        if stop_price is None:
            raise invalid_parameter(f"stopPrice is required for {kind}")
        return order
    order.trailing_offset = _optional_offset(body, "trailingOffset")
    if order.trailing_offset is None:
        raise invalid_parameter(f"trailingOffset is required for {kind}")
    if kind == SmartOrderType.TRAILING_STOP_LIMIT:
        order.limit_offset = _optional_offset(body, "limitOffset")
        if order.limit_offset is None:
            raise invalid_parameter("limitOffset is required for TRAILING_STOP_LIMIT")
    if stop_price is None:
        # No activation price: trailing starts now, from the current market price.
        order.activation_price = order.best_price = quote.last
    else:
        default = "GTE" if side == Side.SELL else "LTE"
        order.operator = _choice(body.get("operator", default), "operator", OPERATORS)
    return order


def _request_of(order: SmartOrder) -> dict[str, Any]:
    """A create body that rebuilds `order` (the base of a cancel-replace)."""
    body: dict[str, Any] = {
        "symbol": order.symbol,
        "side": str(order.side),
        "type": str(order.type),
        "timeInForce": order.time_in_force,
    }
    for key, value in (
        ("quantity", order.quantity),
        ("amount", order.amount),
        ("price", order.price),
        ("stopPrice", order.stop_price),
    ):
        if value is not None:
            body[key] = format(value, "f")
    if order.trailing_offset is not None:
        body["trailingOffset"] = order.trailing_offset.text()
    if order.limit_offset is not None:
        body["limitOffset"] = order.limit_offset.text()
    if order.operator is not None:
        body["operator"] = order.operator
    return body


# ---- lifecycle -----------------------------------------------------------------------------


def _reached(side: Side, last: Decimal, target: Decimal) -> bool:
    return last >= target if side == Side.BUY else last <= target


def _taker_price(side: Side, quote: Quote) -> Decimal:
    return quote.ask if side == Side.BUY else quote.bid


def _fill(order: TriggeredOrder, price: Decimal, quantity: Decimal, now: int) -> None:
    order.state = OrderState.FILLED
    order.filled_quantity = quantity
    order.filled_amount = clean(mul(quantity, price))
    order.avg_price = price
    order.update_time = now


def _fill_quantity(order: TriggeredOrder, price: Decimal) -> Decimal:
    if order.quantity is not None:
        return order.quantity
    assert order.amount is not None
    return floor_quantity(order.amount, price)


def _limit_price(order: SmartOrder, last: Decimal) -> Decimal:
    if order.type == SmartOrderType.STOP_LIMIT:
        assert order.price is not None
        return order.price
    assert order.limit_offset is not None
    distance = order.limit_offset.distance(last)
    return clean(add(last, distance) if order.side == Side.BUY else sub(last, distance))


def _trigger(order: SmartOrder, quote: Quote, now: int, new_id: Callable[[], int]) -> None:
    """Place the regular order; `FAILED` when it cannot be placed."""
    limit = _limit_price(order, quote.last) if order.type in LIMIT_TYPES else None
    placed = TriggeredOrder(
        id=0,
        client_order_id=order.client_order_id,
        symbol=order.symbol,
        side=order.side,
        type="MARKET" if limit is None else "LIMIT",
        time_in_force=order.time_in_force,
        quantity=order.quantity,
        amount=None if order.quantity is not None else order.amount,
        price=limit,
        state=OrderState.NEW,
        create_time=now,
    )
    taker = _taker_price(order.side, quote)
    sizing_price = taker if limit is None else limit
    if sizing_price <= 0 or _fill_quantity(placed, sizing_price) <= 0:
        transition(order, Action.FAIL, now)
        return
    placed.id = new_id()
    transition(order, Action.TRIGGER, now)
    order.triggered_order = placed
    if limit is None:
        _fill(placed, taker, _fill_quantity(placed, taker), now)
    elif _crosses_limit(order.side, limit, quote):
        _fill(placed, taker, _fill_quantity(placed, limit), now)
    elif order.time_in_force != "GTC":
        placed.state = OrderState.EXPIRED
        placed.update_time = now


def _crosses_limit(side: Side, limit: Decimal, quote: Quote) -> bool:
    return quote.ask <= limit if side == Side.BUY else quote.bid >= limit


def _trail(order: SmartOrder, quote: Quote, now: int) -> bool:
    """Follow the market; True when the order should trigger now."""
    last = quote.last
    if order.best_price is None:
        assert order.stop_price is not None and order.operator is not None
        above = last >= order.stop_price if order.operator == "GTE" else last <= order.stop_price
        if not above:
            return False
        order.activation_price = order.best_price = last
        order.update_time = now
        return False
    best = max(order.best_price, last) if order.side == Side.SELL else min(order.best_price, last)
    order.best_price = best
    assert order.trailing_offset is not None
    distance = order.trailing_offset.distance(best)
    if order.side == Side.SELL:
        return last <= sub(best, distance)
    return last >= add(best, distance)


def step(order: SmartOrder, quote: Quote, now: int, new_id: Callable[[], int]) -> None:
    """Move one smart order to a new quote of its market."""
    if order.state == SmartOrderState.PENDING_NEW:
        if order.trailing:
            if _trail(order, quote, now):
                _trigger(order, quote, now, new_id)
        else:
            assert order.stop_price is not None
            if _reached(order.side, quote.last, order.stop_price):
                _trigger(order, quote, now, new_id)
        return
    placed = order.triggered_order
    if (
        placed is not None
        and placed.state == OrderState.NEW
        and placed.price is not None
        and _crosses_limit(placed.side, placed.price, quote)
    ):
        _fill(placed, placed.price, _fill_quantity(placed, placed.price), now)


# ---- books ---------------------------------------------------------------------------------


@dataclass
class Book:
    """One user's smart orders: by id (in id order), and `clientOrderId` to id."""

    orders: dict[int, SmartOrder] = field(default_factory=dict)
    by_client_id: dict[str, int] = field(default_factory=dict)

    def find(self, ref: str | int) -> SmartOrder | None:
        """By numeric id (int or digits) or `cid:<clientOrderId>`."""
        if isinstance(ref, int) and not isinstance(ref, bool):
            return self.orders.get(ref)
        if not isinstance(ref, str):
            return None
        if ref.startswith("cid:"):
            order_id = self.by_client_id.get(ref[4:])
            return None if order_id is None else self.orders.get(order_id)
        if ref.isascii() and ref.isdigit() and len(ref) <= 20:
            return self.orders.get(int(ref))
        return None

    def client_id_free(self, client_order_id: str, releasing: SmartOrder | None = None) -> bool:
        held = self.by_client_id.get(client_order_id)
        return held is None or (releasing is not None and held == releasing.id)


@dataclass(frozen=True)
class Snapshot:
    """Copies of some users' books and the id counter, for `SmartOrderEngine.restore`."""

    books: Mapping[str, Book | None]
    last_id: int
    everyone: bool


class SmartOrderEngine:
    """Every user's smart orders; one lock around every operation."""

    def __init__(self, prices: PriceBook | None = None, clock: Clock = wall_clock_ms) -> None:
        self.prices = prices if prices is not None else PriceBook()
        self.clock = clock
        self._lock = threading.RLock()
        self._books: dict[str, Book] = {}
        self._live: dict[int, SmartOrder] = {}
        self._last_id = 0

    # ---- transactions ----------------------------------------------------------------------
    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the engine's lock (re-entrant) across several operations."""
        with self._lock:
            yield

    def snapshot(self, owners: Iterable[str] | None = None) -> Snapshot:
        """Copies of these users' books (every user's without `owners`) and the id counter."""
        with self._lock:
            names = list(self._books) if owners is None else list(owners)
            books = {
                name: copy.deepcopy(self._books[name]) if name in self._books else None
                for name in names
            }
            return Snapshot(books, self._last_id, owners is None)

    def restore(self, snapshot: Snapshot) -> None:
        """Put the books of a snapshot back, as if nothing had happened to them since."""
        with self._lock:
            names = set(snapshot.books)
            if snapshot.everyone:
                names |= set(self._books)
            for name in names:
                current = self._books.pop(name, None)
                if current is not None:
                    for order_id in current.orders:
                        self._live.pop(order_id, None)
                book = snapshot.books.get(name)
                if book is not None:
                    self._books[name] = book
                    self._live.update((o.id, o) for o in book.orders.values() if o.live)
            self._last_id = snapshot.last_id

    # ---- ids and prices --------------------------------------------------------------------
    def _new_id(self) -> int:
        """Increasing ids shaped like the API's: milliseconds times 8192, plus a sequence."""
        self._last_id = max(self._last_id + 1, self.clock() * 8192)
        return self._last_id

    def quote(self, symbol: str) -> Quote:
        return self.prices.quote(threecommas_pair(symbol))

    def _book(self, owner: str) -> Book:
        return self._books.setdefault(owner, Book())

    def _move(self, orders: Iterable[SmartOrder], quote: Quote | None = None) -> None:
        now = self.clock()
        quotes: dict[str, Quote] = {}
        for order in list(orders):
            if not order.live:
                continue
            current = quote if quote is not None else quotes.get(order.symbol)
            if current is None:
                current = quotes[order.symbol] = self.quote(order.symbol)
            step(order, current, now, self._new_id)
            if not order.live:
                self._live.pop(order.id, None)

    def on_price(self, symbol: str, quote: Quote | None = None) -> None:
        """Move every order on `symbol` to `quote` (default: the PriceBook's current quote)."""
        with self._lock:
            self._move([o for o in self._live.values() if o.symbol == symbol], quote)

    def on_pair(self, pair: str) -> None:
        """The same, named by a 3Commas pair (`USDT_BTC`), after `POST /_reference/prices`."""
        symbol = poloniex_symbol(pair)
        if symbol is not None:
            self.on_price(symbol)

    def advance(self) -> None:
        """Move every live order of every user to the current prices."""
        with self._lock:
            self._move(list(self._live.values()))

    def _advance_owner(self, owner: str) -> Book:
        book = self._book(owner)
        self._move([o for o in book.orders.values() if o.live])
        return book

    def _add(self, book: Book, order: SmartOrder) -> None:
        book.orders[order.id] = order
        if order.client_order_id:
            book.by_client_id[order.client_order_id] = order.id
        self._live[order.id] = order

    # ---- operations ------------------------------------------------------------------------
    def create(self, owner: str, body: Mapping[str, Any]) -> SmartOrder:
        """`create_smart_order`; render with `render.smart_order_ref`."""
        with self._lock:
            book = self._book(owner)
            now = self.clock()
            symbol = _symbol(body.get("symbol"))
            order = _build(owner, 0, body, self.quote(symbol), now)
            if order.client_order_id and not book.client_id_free(order.client_order_id):
                raise client_order_id_exists()
            order.id = self._new_id()
            self._add(book, order)
            return order

    def get(self, owner: str, ref: str | int) -> SmartOrder:
        """`get_smart_order` (`ref`: digits or `cid:<clientOrderId>`); 404/21301 when unknown."""
        with self._lock:
            order = self._advance_owner(owner).find(ref)
            if order is None:
                raise order_not_found()
            return order

    def replace(self, owner: str, ref: str | int, body: Mapping[str, Any]) -> SmartOrder:
        """`replace_smart_order`: cancel the old order, create the new one with a new id.

        404/21301 when the old order is unknown, or cannot be canceled (triggered, canceled,
        ...) unless `proceedOnFailure` is true. The new order is checked before the old one is
        canceled, so a refused replacement leaves the old order as it was. The new order's
        `clientOrderId` is the one sent, or `""`; it may be the old order's own, which then
        moves to the new order.
        """
        with self._lock:
            book = self._advance_owner(owner)
            old = book.find(ref)
            if old is None:
                raise order_not_found()
            proceed = _bool_param(body.get("proceedOnFailure", False), "proceedOnFailure")
            cancelable = old.state == SmartOrderState.PENDING_NEW
            if not cancelable and not proceed:
                raise order_not_found()
            merged = _request_of(old)
            if "type" in body and body["type"] != old.type:
                for key in ("trailingOffset", "limitOffset", "operator"):
                    merged.pop(key, None)
            if "quantity" in body or "amount" in body:
                merged.pop("quantity", None)
                merged.pop("amount", None)
            for key in ("price", "stopPrice", "quantity", "amount", "type", "timeInForce"):
                if key in body:
                    merged[key] = body[key]
            client_order_id = body.get("clientOrderId", "")
            if client_order_id:
                merged["clientOrderId"] = client_order_id
            now = self.clock()
            new = _build(owner, 0, merged, self.quote(old.symbol), now)
            releasing = old if cancelable else None
            if new.client_order_id and not book.client_id_free(new.client_order_id, releasing):
                raise client_order_id_exists()
            if cancelable:
                transition(old, Action.REPLACE, now)
                self._live.pop(old.id, None)
            new.id = self._new_id()
            self._add(book, new)
            return new

    def _cancel(self, order: SmartOrder, success_message: str) -> CancelOutcome:
        now = self.clock()
        try:
            transition(order, Action.CANCEL, now)
        except ForbiddenTransition:
            closed = order.state in (SmartOrderState.CANCELED, SmartOrderState.PENDING_CANCEL)
            code = NOTHING_TO_CANCEL_CANCELED if closed else NOTHING_TO_CANCEL_FINAL
            message = f"Nothing to cancel: the smart order is {order.state}"
            return CancelOutcome(
                str(order.id), order.client_order_id, str(order.state), code, message
            )
        self._live.pop(order.id, None)
        return CancelOutcome(
            str(order.id), order.client_order_id, str(order.state), 200, success_message
        )

    def cancel(self, owner: str, ref: str | int) -> CancelOutcome:
        """`cancel_smart_order`: one item; 404/21301 when unknown.

        A smart order that is no longer pending answers an item with code 25013 (triggered or
        otherwise final) or 25014 (already canceled), not an error status.
        """
        with self._lock:
            order = self._advance_owner(owner).find(ref)
            if order is None:
                raise order_not_found()
            return self._cancel(order, "")

    def cancel_by_ids(self, owner: str, body: Mapping[str, Any]) -> list[CancelOutcome]:
        """`cancel_smart_orders_by_ids`: one item per id named, in the order named.

        With both lists, the i-th id and the i-th clientOrderId name one smart order (the
        documented example pairs them so); an unknown one, or a pair that does not match, is an
        item with code 21301.
        """
        with self._lock:
            book = self._advance_owner(owner)
            ids = _list_param(body.get("orderIds", []), "orderIds")
            client_ids = _list_param(body.get("clientOrderIds", []), "clientOrderIds")
            if not ids and not client_ids:
                raise invalid_parameter("orderIds or clientOrderIds is required")
            if ids and client_ids and len(ids) != len(client_ids):
                raise invalid_parameter("orderIds and clientOrderIds differ in length")
            out: list[CancelOutcome] = []
            for index in range(max(len(ids), len(client_ids))):
                order_id = ids[index] if ids else ""
                client_id = client_ids[index] if client_ids else ""
                order = book.find(order_id) if ids else book.find("cid:" + client_id)
                if order is not None and client_ids and order.client_order_id != client_id:
                    order = None
                if order is None:
                    message = "Couldn't locate smart order"
                    out.append(CancelOutcome(order_id, client_id, "", ORDER_NOT_FOUND, message))
                else:
                    out.append(self._cancel(order, ""))
            return out

    def cancel_all(self, owner: str, body: Mapping[str, Any]) -> list[CancelOutcome]:
        """`cancel_all_smart_orders`: one item per pending smart order matching the filters.

        `symbols` and `accountTypes` left out or empty match everything; `orderTypes` left out is
        the vendor's default, `STOP` and `STOP_LIMIT`, and empty matches every type.
        """
        with self._lock:
            book = self._advance_owner(owner)
            symbols = set(_list_param(body.get("symbols", []), "symbols"))
            accounts = set(_list_param(body.get("accountTypes", []), "accountTypes"))
            for account in accounts:
                _account_type(account)
            if "orderTypes" in body:
                kinds = _types(body["orderTypes"], "orderTypes") or set(SmartOrderType)
            else:
                kinds = set(DEFAULT_TYPES)
            return [
                self._cancel(order, "SUCCESS")
                for order in list(book.orders.values())
                if order.state == SmartOrderState.PENDING_NEW
                and (not symbols or order.symbol in symbols)
                and (not accounts or order.account_type in accounts)
                and order.type in kinds
            ]

    def list_open(self, owner: str, params: Mapping[str, Any]) -> list[SmartOrder]:
        """`list_smart_orders`: pending orders, newest first; `types` defaults to the stops."""
        with self._lock:
            book = self._advance_owner(owner)
            limit = _int_param(params.get("limit", 500), "limit", minimum=1)
            if limit > MAX_OPEN_LIMIT:
                raise invalid_parameter("Invalid limit")
            kinds = _types(params["types"], "types") if "types" in params else set(DEFAULT_TYPES)
            pending = [
                order
                for order in reversed(book.orders.values())
                if order.state == SmartOrderState.PENDING_NEW and order.type in kinds
            ]
            return pending[:limit]

    def history(self, owner: str, params: Mapping[str, Any]) -> list[SmartOrder]:
        """`list_smart_order_history`: smart orders no longer pending, newest (highest id) first.

        Filters: `accountType`, `type` (comma list), `side`, `symbol`, `states` (comma list; an
        unknown state matches nothing), `hideCancel`, `startTime`/`endTime` (inclusive, on
        `createTime`). Paging: `from` is an id, exclusive; `direction` `NEXT` (the default when
        `from` is given) pages to older orders (lower ids), `PRE` to newer ones, the `limit`
        (default 100) closest to `from`; both answer newest first.
        """
        with self._lock:
            book = self._advance_owner(owner)
            limit = _int_param(params.get("limit", 100), "limit", minimum=1)
            match = _HistoryFilter.parse(params)
            wanted = [order for order in book.orders.values() if match(order)]
            if "from" in params:
                start = _int_param(params["from"], "from")
                direction = _choice(params.get("direction", "NEXT"), "direction", ("PRE", "NEXT"))
                if direction == "PRE":
                    newer = [order for order in wanted if order.id > start]
                    return list(reversed(newer[:limit]))
                wanted = [order for order in wanted if order.id < start]
            return list(reversed(wanted))[:limit]


@dataclass(frozen=True)
class _HistoryFilter:
    """The history filters, parsed once (so a bad parameter is refused even with no orders)."""

    account_type: str | None = None
    types: frozenset[SmartOrderType] | None = None
    side: str | None = None
    symbol: str | None = None
    states: frozenset[str] | None = None
    hide_cancel: bool = False
    start_time: int | None = None
    end_time: int | None = None

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> _HistoryFilter:
        def opt_int(name: str) -> int | None:
            return _int_param(params[name], name) if name in params else None

        return cls(
            account_type=_account_type(params["accountType"]) if "accountType" in params else None,
            types=frozenset(_types(params["type"], "type")) if "type" in params else None,
            side=_choice(params["side"], "side", Side.__members__, upper=True)
            if "side" in params
            else None,
            symbol=_symbol(params["symbol"]) if "symbol" in params else None,
            states=frozenset(_list_param(params["states"], "states"))
            if "states" in params
            else None,
            hide_cancel="hideCancel" in params and _bool_param(params["hideCancel"], "hideCancel"),
            start_time=opt_int("startTime"),
            end_time=opt_int("endTime"),
        )

    def __call__(self, order: SmartOrder) -> bool:
        checks = (
            order.state != SmartOrderState.PENDING_NEW,
            self.account_type is None or order.account_type == self.account_type,
            self.types is None or not self.types or order.type in self.types,
            self.side is None or order.side == self.side,
            self.symbol is None or order.symbol == self.symbol,
            self.states is None or not self.states or order.state in self.states,
            not (self.hide_cancel and order.state == SmartOrderState.CANCELED),
            self.start_time is None or order.create_time >= self.start_time,
            self.end_time is None or order.create_time <= self.end_time,
        )
        return all(checks)


__all__ = [
    "CancelOutcome",
    "Side",
    "SmartOrder",
    "SmartOrderEngine",
    "SmartOrderType",
    "Snapshot",
    "TriggeredOrder",
    "step",
    "transition",
]
