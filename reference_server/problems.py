"""Failures the core detects itself (no route, wrong method, body too large, bad parameters, a
validation failure, a rate limit, a crash), and the base of every API's own error answers.

Each API's `render_problem` says how its clients see a `Problem` (`{error, error_description,
error_attributes}` for one API, `{code, message}` for another), keeping or changing the status as
its contract documents. The control endpoints (`/_reference/...`) and paths no API owns answer in
the core's own shape, `core_body`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .spec_validation import Operation


class ErrorAnswer(Exception):
    """An answer other than success in an API's own shape: the core sends `status`, `body()` and
    `headers` as they are. Every API's error class derives from it."""

    status: int
    headers: dict[str, str]

    def body(self) -> Any:
        raise NotImplementedError


class ProblemKind(StrEnum):
    NOT_FOUND = "not_found"  # 404: no operation at this path (or a path parameter that fails)
    METHOD_NOT_ALLOWED = "method_not_allowed"  # 405; `headers` carries `Allow`
    PAYLOAD_TOO_LARGE = "payload_too_large"  # 413
    MALFORMED = "malformed"  # 400: the request does not parse (body, query, bracket keys)
    INVALID_PARAMETERS = "invalid_parameters"  # parameters fail the spec's schemas
    INVALID_BODY = "invalid_body"  # the body fails the spec's schemas (or cannot be computed)
    RATE_LIMITED = "rate_limited"  # 429: past the operation's rate limit
    BANNED = "banned"  # 418: requests went on during a rate-limit block
    AUTH_BLOCKED = "auth_blocked"  # 429: too many failed authentications from this address
    INTERNAL = "internal"  # 500
    NOT_IMPLEMENTED = "not_implemented"  # 501: a deprecated operation this server does not serve


@dataclass(eq=False)
class Problem(Exception):
    """A failure the core found; `attributes` name the fields (`{"body": ["is not valid JSON"]}`)."""

    kind: ProblemKind
    status: int
    message: str
    attributes: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    op: Operation | None = None  # the operation, once routing found one

    def __post_init__(self) -> None:
        super().__init__(f"{self.status} {self.kind}: {self.message}")


def core_body(problem: Problem) -> dict[str, Any]:
    """The core's own error shape (control endpoints, paths no API owns)."""
    out: dict[str, Any] = {"error": problem.message}
    if problem.attributes:
        out["error_attributes"] = problem.attributes
    return out


def not_found(message: str = "Not found") -> Problem:
    return Problem(ProblemKind.NOT_FOUND, 404, message)


def malformed(message: str, attributes: dict[str, list[str]] | None = None) -> Problem:
    return Problem(ProblemKind.MALFORMED, 400, message, attributes or {})


def invalid_body(attributes: dict[str, list[str]]) -> Problem:
    return Problem(ProblemKind.INVALID_BODY, 422, "Invalid parameters", attributes)


def payload_too_large(limit: int) -> Problem:
    return Problem(
        ProblemKind.PAYLOAD_TOO_LARGE,
        413,
        f"Request body larger than {limit} bytes",
        {"body": [f"is larger than {limit} bytes"]},
    )


def too_many_failed_authentications(block: float) -> Problem:
    return Problem(
        ProblemKind.AUTH_BLOCKED,
        429,
        f"Too many failed authentications from this address. Blocked for {block:g} seconds.",
        headers={"Retry-After": f"{block:g}"},
    )
