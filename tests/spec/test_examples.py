"""Every documented example validates against the contract, verbatim."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from generator import curation, schema_paths, spec_lint
from tests.seed_documents import seed_000_error_examples, seed_001_examples, seed_003_body

Spec = dict[str, Any]
SEED_EXAMPLES = seed_001_examples()


def _create_examples(spec: Spec) -> dict[str, Any]:
    media = spec["paths"]["/v2/smart_trades"]["post"]["requestBody"]["content"]["application/json"]
    return {example["summary"]: example["value"] for example in media["examples"].values()}


def test_seed_has_23_examples() -> None:
    assert len(SEED_EXAMPLES) == 23


def test_spec_embeds_every_seed_example_verbatim(spec: Spec) -> None:
    assert _create_examples(spec) == SEED_EXAMPLES


@pytest.mark.parametrize("title", sorted(SEED_EXAMPLES))
def test_seed_example_validates(validator: Any, title: str) -> None:
    errors = [
        e.message for e in validator("SmartTradeCreateRequest").iter_errors(SEED_EXAMPLES[title])
    ]
    assert errors == []


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _media_examples(spec: Spec) -> Iterator[tuple[str, str, Any]]:
    """(where, JSON pointer of the body schema, example value) for every example of a request or response."""
    for route, method, op in spec_lint.operations(spec):
        base = f"/paths/{_escape(route)}/{method}"
        bodies = [("request", f"{base}/requestBody", op.get("requestBody", {}))]
        for status, response in op["responses"].items():
            ref = response.get("$ref", "")
            pointer = ref[1:] if ref else f"{base}/responses/{status}"
            bodies.append((status, pointer, schema_paths.resolve(spec, response)))
        for label, pointer, body in bodies:
            for media_type, media in (body.get("content") or {}).items():
                for name, example in (media.get("examples") or {}).items():
                    value = schema_paths.resolve(spec, example)["value"]
                    schema_pointer = f"{pointer}/content/{_escape(media_type)}/schema"
                    yield f"{method} {route} {label} {media_type} {name}", schema_pointer, value


def test_every_embedded_example_validates(spec: Spec) -> None:
    checked = 0
    for where, pointer, value in _media_examples(spec):
        errors = [e.message for e in curation.validator_at(spec, pointer).iter_errors(value)]
        assert errors == [], where
        checked += 1
    assert checked >= 23 + 2 + 2 + 1 + 3


def test_reduce_funds_examples_validate(spec: Spec, validator: Any) -> None:
    media = spec["paths"]["/v2/smart_trades/{id}/reduce_funds"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    assert media["examples"]["documented"]["value"] == {
        "order_type": "limit",
        "units": {"value": "0.005"},
        "price": {"value": "10500"},
    }
    for example in media["examples"].values():
        assert validator("ReduceFundsRequest").is_valid(example["value"])


def test_seed_003_is_a_smart_trade(spec: Spec, validator: Any) -> None:
    body = seed_003_body()
    assert [e.message for e in validator("SmartTrade").iter_errors(body)] == []
    assert spec["components"]["examples"]["CancelledSmartTrade"]["value"] == body


def test_documented_error_examples_are_errors(validator: Any) -> None:
    raw = seed_000_error_examples()
    assert set(raw) == {"200", "422", "403"}
    assert raw["200"].strip() == ""  # the documented 200 example is empty (missing-empty-examples)
    forbidden = json.loads(raw["403"])
    assert forbidden == {
        "error": "Forbidden",
        "error_description": "Account not owned by current user.",
    }
    assert validator("Error").is_valid(forbidden)
    with pytest.raises(json.JSONDecodeError):
        json.loads(
            raw["422"]
        )  # the documented body lacks its closing brace (artifact-unclosed-422-example)
    unprocessable = json.loads(raw["422"].rstrip() + "\n}")
    assert unprocessable["error"] == "record_invalid"
    assert validator("Error").is_valid(unprocessable)


def test_reduce_funds_info_example(validator: Any) -> None:
    assert validator("ReduceFundsInfo").is_valid(
        {"max_reduce_funds_amount": "28.819532219570405727923627685"}
    )
    assert not validator("ReduceFundsInfo").is_valid({"max_reduce_funds_amount": 28.8})
