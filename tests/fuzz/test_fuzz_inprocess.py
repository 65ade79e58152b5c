"""Schemathesis over every operation of openapi/3commas.yaml, in-process (ASGI), all default checks.

Requests are signed as a client would sign them, except the ones a check breaks on purpose: the
auth provider writes the demo key and a placeholder signature only where the generated case has
those headers, and `PlaceholderSigner` turns only the placeholder into a real signature.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig

from reference_server.app import create_app
from reference_server.testing import PLACEHOLDER, PlaceholderSigner
from reference_server.users import DEMO_API_KEY, DEMO_SECRET

ROOT = Path(__file__).resolve().parents[2]
CONFIG = SchemathesisConfig.from_path(str(Path(__file__).with_name("schemathesis.toml")))
app = create_app(rate_limit=False)
schema = schemathesis.openapi.from_path(str(ROOT / "openapi" / "3commas.yaml"), config=CONFIG)
schema.app = app
SIGNER = PlaceholderSigner(DEMO_SECRET)


@schema.auth()
class DemoUserAuth:
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


@schema.parametrize()
def test_every_operation(case: schemathesis.Case) -> None:
    case.call_and_validate(auth=SIGNER)
