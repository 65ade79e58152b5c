"""A tiny trading bot, the code under test: it opens a 3Commas SmartTrade with a take profit and
places Poloniex stop orders, with nothing but httpx and its own request signing.

Nothing here knows about the reference server: the tests hand the bot a base URL and keys, the
same way production hands it https://api.3commas.io/public/api and https://api.poloniex.com.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import httpx


class ApiError(Exception):
    """An API answered an error; the bot keeps the status and the body for its caller."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"HTTP {status}: {body}")
        self.status = status
        self.body = body


def _answer(response: httpx.Response) -> Any:
    body = response.json()
    if response.status_code >= 400:
        raise ApiError(response.status_code, body)
    return body


class ThreeCommasBot:
    """3Commas: `APIKEY` and `Signature`, the hex HMAC-SHA256 of the path (with `/public/api`),
    then `?` and the JSON body when there is one."""

    def __init__(self, base_url: str, api_key: str, secret: str) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=10)
        self._api_key = api_key
        self._secret = secret.encode()

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        content = json.dumps(body) if body is not None else ""
        request = self._http.build_request(method, path, content=content or None)
        signed = request.url.raw_path.decode() + ("?" + content if content else "")
        request.headers["APIKEY"] = self._api_key
        request.headers["Signature"] = hmac.new(
            self._secret, signed.encode(), hashlib.sha256
        ).hexdigest()
        if content:
            request.headers["Content-Type"] = "application/json"
        return _answer(self._http.send(request))

    def buy_with_take_profit(self, account_id: int, pair: str, units: str, take_profit: str) -> int:
        """A market buy of `units`, sold in full once the bid reaches `take_profit`."""
        trade = self._call(
            "POST",
            "/v2/smart_trades",
            {
                "account_id": account_id,
                "pair": pair,
                "position": {"type": "buy", "units": {"value": units}, "order_type": "market"},
                "take_profit": {
                    "enabled": True,
                    "steps": [
                        {
                            "order_type": "market",
                            "price": {"value": take_profit, "type": "bid"},
                            "volume": "100",
                        }
                    ],
                },
                "stop_loss": {"enabled": False},
            },
        )
        return int(trade["id"])

    def status(self, trade_id: int) -> str:
        return str(self._call("GET", f"/v2/smart_trades/{trade_id}")["status"]["type"])

    def profit(self, trade_id: int) -> str:
        return str(self._call("GET", f"/v2/smart_trades/{trade_id}")["profit"]["volume"])


class PoloniexBot:
    """Poloniex: `key`, `signTimestamp` and `signature`, the base64 HMAC-SHA256 of
    `METHOD\\nPATH\\nPARAMS` (PARAMS: `requestBody=<body>&signTimestamp=<ms>`, or only the
    timestamp for a request without a body or query)."""

    def __init__(self, base_url: str, api_key: str, secret: str) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=10)
        self._api_key = api_key
        self._secret = secret.encode()

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        content = json.dumps(body) if body is not None else ""
        timestamp = str(int(time.time() * 1000))
        params = f"requestBody={content}&" if content else ""
        params += f"signTimestamp={timestamp}"
        digest = hmac.new(self._secret, f"{method}\n{path}\n{params}".encode(), hashlib.sha256)
        headers = {
            "key": self._api_key,
            "signTimestamp": timestamp,
            "signature": base64.b64encode(digest.digest()).decode(),
        }
        if content:
            headers["Content-Type"] = "application/json"
        return _answer(self._http.request(method, path, content=content or None, headers=headers))

    def stop_loss(self, symbol: str, quantity: str, stop_price: str) -> str:
        """A STOP sell: a market sell of `quantity` once the price falls to `stop_price`."""
        order = self._call(
            "POST",
            "/smartorders",
            {
                "symbol": symbol,
                "side": "SELL",
                "type": "STOP",
                "quantity": quantity,
                "stopPrice": stop_price,
            },
        )
        return str(order["id"])

    def state(self, order_id: str) -> str:
        [order] = self._call("GET", f"/smartorders/{order_id}")
        return str(order["state"])
