"""Every documented example validates against the contract, verbatim."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from generator import curation, schema_paths, spec_lint
from generator.specs import REPO_ROOT
from tests.seed_documents import seed_000_error_examples, seed_001_examples, seed_003_body

Spec = dict[str, Any]
SEED_EXAMPLES = seed_001_examples()
# Every spec whose examples are checked here (the poloniex one has no target row of its own yet).
SPEC_FILES = ("openapi/3commas.yaml", "openapi/poloniex.yaml")
SUCCESS = ("200", "201", "202", "203", "206")


def _load(name: str) -> Spec:
    data = yaml.safe_load((REPO_ROOT / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


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


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _bodies(spec: Spec) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(where, status or "request", JSON pointer of the body, body) for every request body and
    response of every operation, `$ref`s followed."""
    for route, method, op in spec_lint.operations(spec):
        base = f"/paths/{_escape(route)}/{method}"
        bodies = [("request", f"{base}/requestBody", op.get("requestBody", {}))]
        bodies += [
            (str(status), f"{base}/responses/{status}", r) for status, r in op["responses"].items()
        ]
        for label, pointer, body in bodies:
            ref = body.get("$ref", "")
            yield (
                f"{method} {route} {label}",
                label,
                ref[1:] if ref else pointer,
                schema_paths.resolve(spec, body),
            )


def _media_examples(spec: Spec) -> Iterator[tuple[str, str, Any]]:
    """(where, JSON pointer of the body schema, example value) for every example of a request or
    response: each of `examples` (inline or `$ref`) and a lone `example`."""
    for where, _, pointer, body in _bodies(spec):
        for media_type, media in (body.get("content") or {}).items():
            schema_pointer = f"{pointer}/content/{_escape(media_type)}/schema"
            for name, example in (media.get("examples") or {}).items():
                value = schema_paths.resolve(spec, example)["value"]
                yield f"{where} {media_type} {name}", schema_pointer, value
            if "example" in media:
                yield f"{where} {media_type} example", schema_pointer, media["example"]


def test_every_embedded_example_validates(spec: Spec) -> None:
    checked = 0
    for where, pointer, value in _media_examples(spec):
        errors = [e.message for e in curation.validator_at(spec, pointer).iter_errors(value)]
        assert errors == [], where
        checked += 1
    assert checked >= 23 + 2 + 2 + 1 + 3


@pytest.mark.parametrize("name", SPEC_FILES)
def test_every_example_of_every_spec_validates(name: str) -> None:
    spec = _load(name)
    problems = []
    for where, pointer, value in _media_examples(spec):
        errors = [e.message for e in curation.validator_at(spec, pointer).iter_errors(value)]
        problems += [f"{where}: {message}" for message in errors]
    assert problems == []


@pytest.mark.parametrize("name", SPEC_FILES)
def test_every_request_and_success_body_has_an_example(name: str) -> None:
    """What redocly.yaml's rule/success-response-example asks of the docs, for requests too."""
    missing = []
    for where, label, _, body in _bodies(_load(name)):
        if label != "request" and label not in SUCCESS:
            continue
        for media_type, media in (body.get("content") or {}).items():
            if "json" in media_type and not (media.get("examples") or "example" in media):
                missing.append(f"{where} {media_type}")
    assert missing == []


@pytest.mark.parametrize("name", SPEC_FILES)
def test_every_shared_example_is_used_and_says_where_it_comes_from(name: str) -> None:
    spec = _load(name)
    shared = spec.get("components", {}).get("examples", {})
    places = [spec["paths"], spec.get("components", {}).get("responses", {})]
    used = {
        ref.rsplit("/", 1)[1] for ref in _refs(places) if ref.startswith("#/components/examples/")
    }
    assert sorted(set(shared) - used) == []
    for key, example in shared.items():
        words = f"{example.get('summary', '')} {example.get('description', '')}".lower()
        assert "illustrative" in words or "documented" in words or "documentation" in words, key


def test_illustrative_smart_trades_keep_seed_003_account_and_pair(spec: Spec) -> None:
    """The examples no source gives are seed 003's SmartTrade at other moments of its life."""
    seed = seed_003_body()
    for key, example in spec["components"]["examples"].items():
        if "illustrative" not in example["summary"]:
            continue
        assert "seed 003" in example["summary"], key
        values = example["value"] if isinstance(example["value"], list) else [example["value"]]
        for value in values:
            assert value.get("pair", seed["pair"]) == seed["pair"], key
            if "account" in value:
                assert value["account"] == seed["account"], key


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
