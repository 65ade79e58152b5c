"""3Commas error bodies (`{"error", "error_description", "error_attributes"}`), and how the core's
problems (no route, bad parameters, rate limits, ...) read in that shape."""

from __future__ import annotations

from typing import Any

from ..problems import ErrorAnswer, Problem, ProblemKind


class ApiError(ErrorAnswer):
    """An answer other than success; the app turns it into a JSON response."""

    def __init__(
        self,
        status: int,
        error: str,
        description: str | None = None,
        attributes: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {error}")
        self.status = status
        self.error = error
        self.description = description
        self.attributes = attributes
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.error}
        if self.description is not None:
            out["error_description"] = self.description
        if self.attributes:
            out["error_attributes"] = self.attributes
        return out


def record_invalid(attributes: dict[str, list[str]]) -> ApiError:
    return ApiError(422, "record_invalid", "Invalid parameters", attributes)


def not_found() -> ApiError:
    return ApiError(404, "Not found", "Not found")


def wrong_params(description: str) -> ApiError:
    return ApiError(400, "Wrong param(s)", description)


def bad_request(description: str, attributes: dict[str, list[str]] | None = None) -> ApiError:
    return ApiError(400, "Wrong param(s)", description, attributes)


def forbidden_account() -> ApiError:
    return ApiError(403, "Forbidden", "Account not owned by current user.")


def signature_invalid() -> ApiError:
    return ApiError(401, "signature_invalid", "Provided signature is invalid")


def api_key_invalid() -> ApiError:
    return ApiError(401, "api_key_invalid_or_expired", "Unauthorized. Invalid or expired api key.")


def payload_too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "payload_too_large",
        f"Request body larger than {limit} bytes",
        {"body": [f"is larger than {limit} bytes"]},
    )


def too_many_failed_authentications(block: float) -> ApiError:
    return ApiError(
        429,
        "rate_limit_exceeded",
        f"Too many failed authentications from this address. Blocked for {block:g} seconds.",
        headers={"Retry-After": f"{block:g}"},
    )


def internal_error() -> ApiError:
    return ApiError(500, "internal_error", "Internal error")


def render_problem(problem: Problem) -> ApiError:
    """The core's problems as the 3Commas API answers them."""
    kind, attributes = problem.kind, problem.attributes or None
    if kind == ProblemKind.NOT_FOUND:
        return not_found()
    if kind == ProblemKind.METHOD_NOT_ALLOWED:
        return ApiError(405, "method_not_allowed", problem.message, headers=problem.headers)
    if kind == ProblemKind.PAYLOAD_TOO_LARGE:
        return ApiError(413, "payload_too_large", problem.message, attributes)
    if kind == ProblemKind.MALFORMED:
        return bad_request(problem.message, attributes)
    if kind == ProblemKind.INVALID_PARAMETERS:
        # 422 only where the operation documents 422 and not 400 (the spec's own choice).
        statuses = problem.op.error_statuses if problem.op is not None else set()
        if 400 in statuses or 422 not in statuses:
            return bad_request("Invalid parameters", attributes)
        return record_invalid(problem.attributes)
    if kind == ProblemKind.INVALID_BODY:
        return record_invalid(problem.attributes)
    if kind == ProblemKind.RATE_LIMITED:
        return ApiError(429, "rate_limit_exceeded", problem.message, headers=problem.headers)
    if kind == ProblemKind.BANNED:
        return ApiError(418, "ip_banned", problem.message, headers=problem.headers)
    if kind == ProblemKind.NOT_IMPLEMENTED:
        return ApiError(501, "not_implemented", problem.message)
    if kind == ProblemKind.AUTH_BLOCKED:
        return ApiError(429, "rate_limit_exceeded", problem.message, headers=problem.headers)
    return internal_error()
