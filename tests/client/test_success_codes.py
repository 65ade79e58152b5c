"""An operation declaring several 2xx codes with different schemas: the one declared for the code comes first."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from generator.pipeline import generate
from generator.specs import target_by_name

TARGET = target_by_name("threecommas")

SPEC = """
openapi: 3.1.0
info: {title: tiny, version: '1'}
paths:
  /things:
    post:
      operationId: make_thing
      tags: [things]
      responses:
        '200':
          description: an existing thing
          content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
        '201':
          description: a receipt
          content: {application/json: {schema: {$ref: '#/components/schemas/Receipt'}}}
        '204':
          description: nothing
components:
  schemas:
    Thing:
      type: object
      required: [name]
      properties: {name: {type: string}}
    Receipt:
      type: object
      required: [ticket]
      properties: {ticket: {type: integer}}
"""


@pytest.fixture(scope="module")
def make_thing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any, Any]]:
    tmp = tmp_path_factory.mktemp("codes")
    spec = tmp / "tiny.yaml"
    spec.write_text(SPEC)
    out = tmp / "out" / TARGET.package_name
    generate(TARGET, out, spec)
    saved = {k: v for k, v in sys.modules.items() if k == TARGET.package_name or k.startswith(TARGET.package_name + ".")}
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(out))
    try:
        module = importlib.import_module(f"{TARGET.package_name}.api.things.make_thing")
        models = importlib.import_module(f"{TARGET.package_name}.models")
        errors = importlib.import_module(f"{TARGET.package_name}.errors")
        yield module, models, errors
    finally:
        sys.path.remove(str(out))
        for name in [k for k in sys.modules if k == TARGET.package_name or k.startswith(TARGET.package_name + ".")]:
            del sys.modules[name]
        sys.modules.update(saved)


def _parse(module: object, status: int, body: bytes) -> object:
    request = httpx.Request("POST", "http://x/things")
    return module._parse_response(response=httpx.Response(status, content=body, request=request))  # type: ignore[attr-defined]


def test_each_code_tries_its_own_schema_first(make_thing: tuple[object, object, object]) -> None:
    module, models, errors = make_thing
    assert type(_parse(module, 200, b'{"name": "a"}')).__name__ == "Thing"
    assert type(_parse(module, 201, b'{"ticket": 7}')).__name__ == "Receipt"
    assert _parse(module, 204, b"") is None
    # the other declared schema when the body fits it, for any 2xx
    assert type(_parse(module, 201, b'{"name": "a"}')).__name__ == "Thing"
    assert type(_parse(module, 202, b'{"ticket": 7}')).__name__ == "Receipt"
    assert _parse(module, 200, b"") is None  # the empty body the 204 documents


def test_no_schema_fits_reports_the_one_declared_for_the_code(make_thing: tuple[object, object, object]) -> None:
    module, models, errors = make_thing
    with pytest.raises(errors.WireValueError) as info:  # type: ignore[attr-defined]
        _parse(module, 201, b'{"other": 1}')
    assert str(info.value) == "make_thing: Receipt.ticket: required field is missing"
    with pytest.raises(errors.WireValueError, match="make_thing: response body is not valid JSON"):  # type: ignore[attr-defined]
        _parse(module, 200, b"<html>")
