"""The core over every API of `apis.APIS`: each at its own prefix on one server, every answer JSON
in the API's own error shape (its spec's `Error` schema), 404 and 405 included."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reference_server.apis import APIS
from reference_server.app import create_app
from reference_server.protocol import ApiDefinition
from reference_server.spec_validation import SPEC_URI, Spec, Validator
from reference_server.testing import ServerThread

SPECS = {api.name: Spec(api.spec_path) for api in APIS}


def error_schema(api: ApiDefinition) -> Any:
    spec = SPECS[api.name]
    return Validator({"$ref": f"{SPEC_URI}#/components/schemas/Error"}, registry=spec.registry)


def a_path(api: ApiDefinition) -> tuple[str, list[str]]:
    """A fixed path of the API's spec (no parameter) and its methods."""
    spec = SPECS[api.name]
    template = next(t for t in spec.methods_by_template if "{" not in t)
    return api.prefix + template, spec.methods_by_template[template]


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(create_app(rate_limit=False)) as running:
        yield running


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.name)
def test_every_operation_has_a_handler_and_the_api_owns_its_paths(api: ApiDefinition) -> None:
    spec = SPECS[api.name]
    assert {op.operation_id for op in spec.operations} <= set(api.handlers)
    for template in spec.methods_by_template:
        assert api.owns(spec, api.prefix + template.replace("{", "").replace("}", ""))
    others = [other for other in APIS if other is not api]
    for other in others:
        for template in SPECS[other.name].methods_by_template:
            path = other.prefix + template
            assert not (api.owns(spec, path) and len(api.prefix) >= len(other.prefix))


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.name)
def test_404_and_405_are_json_in_the_apis_error_shape(
    server: ServerThread, api: ApiDefinition
) -> None:
    path, methods = a_path(api)
    missing = httpx.get(server.base_url + path + "/no/such/thing")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/json"
    error_schema(api).validate(missing.json())
    unused = next(m for m in ("PATCH", "PUT", "POST", "GET") if m not in methods)
    refused = httpx.request(unused, server.base_url + path)
    assert refused.status_code == 405
    assert set(refused.headers["allow"].split(", ")) == set(methods)
    error_schema(api).validate(refused.json())


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.name)
def test_unsigned_requests_answer_401_in_the_apis_error_shape(
    server: ServerThread, api: ApiDefinition
) -> None:
    path, methods = a_path(api)
    response = httpx.request("GET" if "GET" in methods else methods[0], server.base_url + path)
    assert response.status_code == 401
    error_schema(api).validate(response.json())


def test_paths_no_api_owns_answer_the_cores_json_404(server: ServerThread) -> None:
    response = httpx.get(server.base_url + "/elsewhere")
    assert response.status_code == 404 and response.json() == {"error": "Not found"}
    control = httpx.get(server.base_url + "/_reference/nothing")
    assert control.status_code == 404 and control.json() == {"error": "Not found"}


def test_a_price_moves_names_it_in_every_apis_naming(server: ServerThread) -> None:
    response = httpx.post(
        server.base_url + "/_reference/prices", json={"symbol": "ETH_USDT", "last": "2100"}
    )
    assert response.json()["pair"] == "USDT_ETH" and response.json()["symbol"] == "ETH_USDT"
    both = httpx.post(
        server.base_url + "/_reference/prices",
        json={"symbol": "ETH_USDT", "pair": "USDT_ETH", "last": "1"},
    )
    assert both.status_code == 422 and "pair" in both.json()["error_attributes"]
    bad = httpx.post(server.base_url + "/_reference/prices", json={"symbol": "eth", "last": "1"})
    assert bad.status_code == 422 and "symbol" in bad.json()["error_attributes"]
