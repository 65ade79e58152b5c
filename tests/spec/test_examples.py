"""Every documented 3Commas example validates against the contract, verbatim (every embedded example of
every spec: test_targets.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from spec_tools.operations import operations
from spec_tools.refs import refs, resolve
from tests.seed_documents import seed_000_error_examples, seed_001_examples, seed_003_body
from tests.seed_documents import seed_003_body as _seed_003

from .targets import BY_TARGET, media_examples, spec_of

Spec = dict[str, Any]
SEED_EXAMPLES = seed_001_examples()
SUCCESS = ("200", "201", "202", "203", "206")


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


@BY_TARGET
def test_every_request_and_success_body_has_an_example(target: Any) -> None:
    """What redocly.yaml's rule/success-response-example asks of the docs, for requests too."""
    spec = spec_of(target)
    missing = []
    for route, method, op in operations(spec):
        bodies = [("request", op.get("requestBody") or {})]
        bodies += [(str(s), r) for s, r in (op.get("responses") or {}).items() if str(s) in SUCCESS]
        for label, raw in bodies:
            for media_type, media in (resolve(spec, raw).get("content") or {}).items():
                if "json" in media_type and not (media.get("examples") or "example" in media):
                    missing.append(f"{method} {route} {label} {media_type}")
    assert missing == []


@BY_TARGET
def test_every_shared_example_is_used_and_says_where_it_comes_from(target: Any) -> None:
    spec = spec_of(target)
    shared = spec.get("components", {}).get("examples", {})
    places = [spec["paths"], spec.get("components", {}).get("responses", {})]
    prefix = "#/components/examples/"
    used = {ref[len(prefix) :] for ref in refs(places) if ref.startswith(prefix)}
    assert sorted(set(shared) - used) == []
    for key, example in shared.items():
        words = f"{example.get('summary', '')} {example.get('description', '')}".lower()
        assert "illustrative" in words or "documented" in words or "documentation" in words, key


def test_illustrative_smart_trades_keep_seed_003_account_and_pair(spec: Spec) -> None:
    """The examples no source gives are seed 003's SmartTrade at other moments of its life."""
    seed = _seed_003()
    for key, example in spec["components"]["examples"].items():
        if "illustrative" not in example["summary"] or "seed 003" not in example["summary"]:
            continue
        values = example["value"] if isinstance(example["value"], list) else [example["value"]]
        for value in values:
            assert value.get("pair", seed["pair"]) == seed["pair"], key
            if "account" in value:
                assert value["account"] == seed["account"], key
