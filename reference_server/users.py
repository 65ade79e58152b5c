"""Kept for existing imports: the 3Commas users live in `reference_server.threecommas.users`, the
users file in `reference_server.users_file`."""

from .threecommas.users import (
    DEMO_API_KEY,
    DEMO_FUTURES_ACCOUNT_ID,
    DEMO_SECRET,
    DEMO_SPOT_ACCOUNT_ID,
    Account,
    User,
    demo_users,
    load_users,
    parse_users,
)
from .users_file import UsersFileError, read_users_file

__all__ = [
    "DEMO_API_KEY",
    "DEMO_FUTURES_ACCOUNT_ID",
    "DEMO_SECRET",
    "DEMO_SPOT_ACCOUNT_ID",
    "Account",
    "User",
    "UsersFileError",
    "demo_users",
    "load_users",
    "parse_users",
    "read_users_file",
]
