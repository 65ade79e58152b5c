"""Poloniex error answers: an HTTP status and a `{"code": <int>, "message": <text>}` body.

The codes come from the `Error.code` table of openapi/poloniex.yaml where the table has one for
the case. The contract documents no code for an unknown key, a wrong signature or a request past
its `recvWindow`; for those the code repeats the HTTP status (401, 408), which collides with no
documented code (607, 21xxx, 25xxx) and says plainly what happened.
"""

from __future__ import annotations

from typing import Any, Final

from ..problems import ErrorAnswer, Problem, ProblemKind

# Documented codes (openapi/poloniex.yaml, components/schemas/Error/properties/code).
ORDER_NOT_FOUND: Final = 21301
INVALID_PARAMETER: Final = 25001
CLIENT_ORDER_ID_EXISTS: Final = 25004
NOTHING_TO_CANCEL_FINAL: Final = 25013
NOTHING_TO_CANCEL_CANCELED: Final = 25014
# Undocumented cases: the HTTP status as the code (see the module docstring).
UNAUTHORIZED: Final = 401
REQUEST_TIMEOUT: Final = 408
# Statuses the core answers before any handler (no route, body too large, rate limits, a crash):
# the status as the code too.


class PoloniexError(ErrorAnswer):
    """An answer other than success; the HTTP layer sends `status` with `body()`."""

    def __init__(
        self, status: int, code: int, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


def invalid_parameter(message: str = "Invalid parameter") -> PoloniexError:
    """400/25001: a parameter the schema admits but the API refuses, or a malformed header."""
    return PoloniexError(400, INVALID_PARAMETER, message)


def timestamp_out_of_window() -> PoloniexError:
    """400/25001: `signTimestamp` more than about a second from server time.

    The contract's 400 answer lists this case beside invalid parameters and gives it no code of
    its own, so it shares 25001 (invalid parameter).
    """
    return PoloniexError(400, INVALID_PARAMETER, "Invalid signTimestamp: outside the time window")


def request_expired() -> PoloniexError:
    """408/408: the request arrived later than `signTimestamp` + `recvWindow`."""
    return PoloniexError(408, REQUEST_TIMEOUT, "Request timeout: older than recvWindow")


def invalid_api_key() -> PoloniexError:
    """401/401: the `key` header is missing or names no user."""
    return PoloniexError(401, UNAUTHORIZED, "Invalid Apikey")


def invalid_signature() -> PoloniexError:
    """401/401: the `signature` header is missing or does not match."""
    return PoloniexError(401, UNAUTHORIZED, "Invalid signature")


def order_not_found() -> PoloniexError:
    """404/21301: no such smart order for this user, or (replace) it has already triggered.

    The message is the documented one (the cancel-replace example of the vendor page).
    """
    return PoloniexError(404, ORDER_NOT_FOUND, "Couldn't locate smart order")


def client_order_id_exists() -> PoloniexError:
    """400/25004: the `clientOrderId` is held by another of the user's smart orders.

    The contract names both 21312 (duplicate clientOrderId) and 25004 (clientOrderId already
    exists); 25004 is in the smart-order range 25000-25019 and is the code of the contract's own
    400 example (`duplicate_client_order_id`), so smart orders use it.
    """
    return PoloniexError(400, CLIENT_ORDER_ID_EXISTS, "clientOrderId already exists")


def _fields(attributes: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {text}" for name, texts in attributes.items() for text in texts)


def render_problem(problem: Problem) -> PoloniexError:
    """The core's problems as Poloniex answers them: `{code, message}`, the message naming the
    field. A request that fails validation or does not parse is 400/25001 (invalid parameter), as
    the contract documents; an `{id}` that cannot be an id is 404/21301 like an unknown one."""
    kind, headers = problem.kind, problem.headers
    if kind == ProblemKind.NOT_FOUND:
        if problem.op is not None:
            return order_not_found()
        return PoloniexError(404, 404, "Not found")
    if kind in (ProblemKind.INVALID_PARAMETERS, ProblemKind.INVALID_BODY, ProblemKind.MALFORMED):
        detail = _fields(problem.attributes) or problem.message
        return invalid_parameter(f"Invalid parameter: {detail}")
    if kind in (ProblemKind.RATE_LIMITED, ProblemKind.BANNED, ProblemKind.AUTH_BLOCKED):
        # The contract documents 429 only: a request during the block is refused with it too.
        return PoloniexError(429, 429, problem.message, headers)
    if kind == ProblemKind.NOT_IMPLEMENTED:
        return PoloniexError(501, 501, problem.message)
    if kind == ProblemKind.INTERNAL:
        return PoloniexError(500, 500, "Internal error")
    detail = _fields(problem.attributes)
    message = f"{problem.message}: {detail}" if detail else problem.message
    return PoloniexError(problem.status, problem.status, message, headers)
