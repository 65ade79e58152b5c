"""The APIs the reference server serves: adding one is a package with an `API` and a line here.

The first is the default for `create_app(users=[...])` (a plain list of users).
"""

from __future__ import annotations

from .poloniex.api import API as POLONIEX
from .protocol import ApiDefinition
from .threecommas.api import API as THREECOMMAS

APIS: tuple[ApiDefinition, ...] = (THREECOMMAS, POLONIEX)
