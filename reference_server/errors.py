"""Kept for existing imports: the 3Commas error bodies live in `reference_server.threecommas.errors`
(the core's own problems in `reference_server.problems`)."""

from .threecommas.errors import (
    ApiError,
    api_key_invalid,
    bad_request,
    forbidden_account,
    internal_error,
    not_found,
    payload_too_large,
    record_invalid,
    render_problem,
    signature_invalid,
    too_many_failed_authentications,
    wrong_params,
)

__all__ = [
    "ApiError",
    "api_key_invalid",
    "bad_request",
    "forbidden_account",
    "internal_error",
    "not_found",
    "payload_too_large",
    "record_invalid",
    "render_problem",
    "signature_invalid",
    "too_many_failed_authentications",
    "wrong_params",
]
