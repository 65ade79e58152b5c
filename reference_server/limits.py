"""Every bound the reference server puts on hostile input, in one place (README: Reference server).

A request past one of these answers 4xx with a JSON error naming the field, parameter or body;
none of them is near what a correct client sends.
"""

from __future__ import annotations

# -- request size and shape -------------------------------------------------------------------
MAX_BODY_BYTES = 64 * 1024
"""A larger body answers 413 (Content-Length checked first; the stream is never read past this)."""

MAX_JSON_DEPTH = 32
"""Objects and arrays nested deeper in a JSON body answer 400 naming `body`."""

MAX_BRACKET_DEPTH = 32
"""A Rails bracket key (`a[b][c]...`, query or form) with more levels answers 400 naming it."""

MAX_KEY_LENGTH = 1024
"""A longer parameter name (query or form) answers 400."""

MAX_PARAMETERS = 1000
"""More `name=value` pairs in a query string or form body answer 400."""

MAX_VALIDATION_ERRORS = 20
"""Validation stops after this many problems; the 422 names at most this many fields."""

MAX_SIGNATURE_LENGTH = 2048
"""A longer `Signature` header is refused (401) without any cryptography."""

# -- rate limiting ----------------------------------------------------------------------------
RATE_LIMIT = 100
"""Requests a minute per verified user (the documented limit); then 429 and a block (418)."""

RATE_WINDOW_SECONDS = 60.0
RATE_BLOCK_SECONDS = 300.0

AUTH_FAILURE_LIMIT = 50
"""Failed authentications a minute per client address; then 429 for the block period, and every
request from that address (signed or not) is refused without checking it until the block ends."""

AUTH_FAILURE_WINDOW_SECONDS = 60.0
AUTH_FAILURE_BLOCK_SECONDS = 300.0

MAX_LIMITER_ENTRIES = 10_000
"""Keys one limiter table holds; idle keys go first, then the least recently seen."""
