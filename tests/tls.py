"""One TLS context for the tests' own httpx clients.

They talk plain HTTP to loopback servers, yet httpx loads the CA bundle for every client it makes, `httpx.post(...)`
included (about 20 ms each; hundreds in a run). Passing `verify=VERIFY` shares this default verifying context.
"""

from __future__ import annotations

import ssl

VERIFY = ssl.create_default_context()
