"""The Poloniex smart-order API of the reference server, without the HTTP framework.

- `auth`: signature verification (`authenticate`, `sign`), users in `users`;
- `errors`: `PoloniexError(status, code, message)`, whose `body()` is the `{code, message}` answer;
- `engine`: `SmartOrderEngine`, the per-user smart orders and their lifecycle over a `PriceBook`;
- `states`: the state machine as data (`TABLE`);
- `render`: the answers as the contract's response schemas shape them;
- `pairs`, `decimals`: market names shared with 3Commas, exact decimal handling.
"""

from .auth import authenticate, sign
from .engine import CancelOutcome, SmartOrder, SmartOrderEngine
from .errors import PoloniexError
from .pairs import poloniex_symbol, threecommas_pair
from .users import DEMO_POLONIEX_API_KEY, DEMO_POLONIEX_SECRET, PoloniexUser, demo_users

__all__ = [
    "DEMO_POLONIEX_API_KEY",
    "DEMO_POLONIEX_SECRET",
    "CancelOutcome",
    "PoloniexError",
    "PoloniexUser",
    "SmartOrder",
    "SmartOrderEngine",
    "authenticate",
    "demo_users",
    "poloniex_symbol",
    "sign",
    "threecommas_pair",
]
