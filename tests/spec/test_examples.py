"""Every documented 3Commas example validates against the contract, verbatim (every embedded example of
every spec: test_targets.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.seed_documents import seed_000_error_examples, seed_001_examples, seed_003_body

from .targets import media_examples

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


def test_every_embedded_example_is_found(spec: Spec) -> None:
    """The per-target check (test_targets.py) reaches the seed examples, the documented error bodies and
    the rest."""
    assert len(list(media_examples(spec))) >= 23 + 2 + 2 + 1 + 3


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
