"""Schemathesis hooks for fuzzing the reference server as the demo user (in-process and CLI).

Loaded by tests/fuzz (import) and by `make fuzz` (SCHEMATHESIS_HOOKS=reference_server.fuzz_hooks).
"""

from __future__ import annotations

from typing import Any

import schemathesis

from .threecommas.testing import PLACEHOLDER, PlaceholderSigner
from .threecommas.users import (
    DEMO_API_KEY,
    DEMO_FUTURES_ACCOUNT_ID,
    DEMO_SECRET,
    DEMO_SPOT_ACCOUNT_ID,
)


@schemathesis.auth()
class DemoUserAuth:
    """Writes the demo key, and a placeholder signature that `PlaceholderSigner` replaces with the
    real one, only where the generated case carries those headers: cases that drop or garble them on
    purpose stay broken, so `ignored_auth` and `missing_required_header` keep their meaning."""

    def get(self, case: Any, ctx: Any) -> str:
        return DEMO_API_KEY

    def set(self, case: Any, data: str, ctx: Any) -> None:
        headers = case.headers if case.headers is not None else {}
        for name in list(headers):
            if name.lower() == "apikey":
                headers[name] = data
            elif name.lower() == "signature":
                headers[name] = PLACEHOLDER
        case.headers = headers


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    """Valid creates use one of the demo user's own accounts, so they open real SmartTrades that the
    stateful runs then read, change and close (a random account id is another user's: 403)."""
    operation = context.operation
    meta = case.meta
    if (
        operation is not None
        and operation.definition.raw.get("operationId") == "create_smart_trade"
        and meta is not None
        and meta.generation.mode.is_positive
        and isinstance(case.body, dict)
    ):
        leverage = case.body.get("leverage")
        futures = isinstance(leverage, dict) and str(leverage.get("enabled")).lower() == "true"
        account = DEMO_FUTURES_ACCOUNT_ID if futures else DEMO_SPOT_ACCOUNT_ID
        case.body["account_id"] = (
            account if not isinstance(case.body.get("account_id"), str) else str(account)
        )
    return case


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Sign at the last moment, from the prepared request's exact bytes (CLI and in-process)."""
    kwargs.setdefault("auth", _SIGNER)


_SIGNER = PlaceholderSigner(DEMO_SECRET)
