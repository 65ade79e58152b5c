"""What the user asks of a ver1 SmartTrade: cancel it, panic sell it or one step, cancel one
step's order, add funds, update it, refresh it.

Every command first asks the machine (`require`); a refusal is the 400 `Wrong param(s)` the API
answers. Then the engine does the rest.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ..prices import Quote
from . import v1_engine
from .errors import not_found, record_invalid, wrong_params
from .v1_build import NewId, apply_update
from .v1_machine import V1Action, move_step, refusal, require
from .v1_model import V1Step, V1Trade
from .v1_rules import check_update
from .v1_statuses import V1Purpose, V1Status, V1StepStatus


def cancel(trade: V1Trade, now: datetime) -> None:
    require(trade, V1Action.CANCEL)
    v1_engine.close(trade, V1Status.CANCELLED, now, V1StepStatus.CANCELLED)


def panic_sell(trade: V1Trade, quote: Quote, new_id: NewId, now: datetime) -> None:
    """Sell currency immediately: open steps cancelled, what is left sold at market."""
    require(trade, V1Action.PANIC_SELL)
    v1_engine.end_steps(trade, V1StepStatus.CANCELLED, now)
    units = trade.remaining()
    step = V1Step(
        new_id(),
        trade.id,
        V1Purpose.PANIC_SELL,
        trade.exit_side,
        "market",
        units,
        now,
        now,
        new_id(),
        is_panic_sell=True,
    )
    trade.panic_steps.append(step)
    v1_engine.fill(step, v1_engine.exit_quote(trade, quote), now, V1StepStatus.PANIC_SOLD)
    trade.panic_sell_market_order_id = step.order_ref
    v1_engine.close(trade, V1Status.PANIC_SELL_FINISHED, now, V1StepStatus.SKIPPED)


def _step(trade: V1Trade, step_id: int) -> V1Step:
    step = trade.step(step_id)
    if step is None:
        raise not_found()
    return step


def step_panic_sell(trade: V1Trade, step_id: int, quote: Quote, now: datetime) -> None:
    """One take profit step sold at market now."""
    require(trade, V1Action.STEP_PANIC_SELL)
    step = _step(trade, step_id)
    if step.purpose is not V1Purpose.TAKE_PROFIT or not step.open or step.is_panic_sell:
        raise wrong_params("Step panic sell is not allowed for this step")
    step.is_panic_sell = True
    v1_engine.fill(step, v1_engine.exit_quote(trade, quote), now, V1StepStatus.PANIC_SOLD)
    v1_engine.after_exit(trade, now, V1Status.PANIC_SELL_FINISHED)
    v1_engine.settle(trade, now)


def cancel_order(trade: V1Trade, step_id: int, now: datetime) -> None:
    """Cancel one step's order: the entry's cancels the SmartTrade; a take profit step's gives its
    units back to the others; the stop loss's leaves the position without one."""
    require(trade, V1Action.CANCEL_ORDER)
    step = _step(trade, step_id)
    if not step.open:
        raise refusal(V1Action.CANCEL_ORDER)
    if step is trade.entry:
        v1_engine.close(trade, V1Status.CANCELLED, now, V1StepStatus.CANCELLED)
        return
    move_step(step, V1StepStatus.CANCELLED, now)
    trade.updated_at = now
    v1_engine.place_targets(trade, now)
    v1_engine.settle(trade, now)


def add_funds(
    trade: V1Trade,
    quote: Quote,
    units: Decimal,
    rate: Decimal | None,
    new_id: NewId,
    now: datetime,
) -> V1Step:
    """One more entry order: at market now, or a limit order at `rate` the engine fills."""
    require(trade, V1Action.ADD_FUNDS)
    method = "market" if rate is None else "limit"
    step = V1Step(
        new_id(),
        trade.id,
        V1Purpose.ENTRY,
        trade.entry_side,
        method,
        units,
        now,
        now,
        new_id(),
        price=rate,
        sell_order_price=rate,
    )
    trade.buy_steps.append(step)
    v1_engine.place(step, now)
    if rate is None:
        v1_engine.fill(step, v1_engine.entry_quote(trade, quote), now)
    v1_engine.place_targets(trade, now)
    trade.updated_at = now
    v1_engine.advance(trade, quote, now)
    return step


def update(
    trade: V1Trade, body: dict[str, Any], quote: Quote, new_id: NewId, now: datetime
) -> None:
    require(trade, V1Action.UPDATE)
    problems = check_update(trade, body)
    if problems:
        raise record_invalid(problems)
    apply_update(trade, body, quote, new_id, now)
    v1_engine.advance(trade, quote, now)


def force_process(trade: V1Trade, quote: Quote, now: datetime) -> None:
    require(trade, V1Action.FORCE_PROCESS)
    v1_engine.advance(trade, quote, now)
    trade.updated_at = now
