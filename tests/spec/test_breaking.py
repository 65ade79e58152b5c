"""spec_tools/breaking.py: one tiny spec pair per rule that fires it, compatible changes that do not, the
version gate and allow-list, and every target of generator/specs.py against its released baseline."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.specs import REPO_ROOT, TARGETS
from spec_tools import breaking

Spec = dict[str, Any]


def base() -> Spec:
    """One operation with a path parameter, an optional query parameter, a JSON body and a JSON answer."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "tiny", "version": "1.0.0+curated.1"},
        "paths": {
            "/things/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "post": {
                    "parameters": [{"name": "mode", "in": "query", "schema": {"type": "string"}}],
                    "requestBody": {
                        "required": False,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/ThingIn"}}
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        },
                        "422": {"description": "invalid"},
                    },
                },
            },
        },
        "components": {
            "schemas": {
                "Pair": {"type": "string", "pattern": "^[A-Z]{1,5}_[A-Z]{1,5}$"},
                "ThingIn": {
                    "type": "object",
                    "required": ["pair"],
                    "properties": {
                        "pair": {"$ref": "#/components/schemas/Pair"},
                        "side": {"type": "string", "enum": ["buy", "sell"]},
                        "amount": {"type": ["string", "number"], "maximum": 100, "minLength": 1},
                        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
                        "note": {"type": ["string", "null"]},
                    },
                },
                "Thing": {
                    "type": "object",
                    "required": ["id", "status"],
                    "properties": {
                        "id": {"type": "integer"},
                        "status": {"type": "string", "enum": ["open", "done"]},
                        "kind": {"type": "string", "x-known-values": ["a", "b"]},
                        "price": {"type": "string"},
                        "steps": {
                            "type": "array",
                            "items": {"type": "object", "properties": {"n": {"type": "integer"}}},
                        },
                    },
                },
            }
        },
    }


def schemas(spec: Spec) -> dict[str, Any]:
    result: dict[str, Any] = spec["components"]["schemas"]
    return result


def op(spec: Spec) -> dict[str, Any]:
    result: dict[str, Any] = spec["paths"]["/things/{id}"]["post"]
    return result


def rules_after(change: Callable[[Spec], None]) -> list[str]:
    old = base()
    new = copy.deepcopy(old)
    change(new)
    return [c.rule for c in breaking.compare(old, new)]


def test_identical_specs_have_no_breaking_change() -> None:
    assert breaking.compare(base(), base()) == []


# --- each rule fires ------------------------------------------------------------------------------------

FIRES: dict[str, Callable[[Spec], None]] = {
    "operation-removed": lambda s: s["paths"].pop("/things/{id}"),
    "success-status-removed": lambda s: op(s)["responses"].update(
        {"201": op(s)["responses"].pop("200")}
    ),
    "response-media-type-removed": lambda s: op(s)["responses"]["200"].update(
        content={"text/plain": {"schema": {"type": "string"}}}
    ),
    "parameter-required": lambda s: op(s)["parameters"][0].update(required=True),
    "request-body-required": lambda s: op(s)["requestBody"].update(required=True),
    "request-media-type-removed": lambda s: op(s)["requestBody"].update(
        content={"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}
    ),
    "request-field-removed": lambda s: schemas(s)["ThingIn"]["properties"].pop("note"),
    "request-property-required": lambda s: schemas(s)["ThingIn"]["required"].append("side"),
    "request-type-narrowed": lambda s: schemas(s)["ThingIn"]["properties"]["note"].update(
        type="string"
    ),
    "request-enum-narrowed": lambda s: schemas(s)["ThingIn"]["properties"]["side"].update(
        enum=["buy"]
    ),
    "request-constraint-tightened": lambda s: schemas(s)["ThingIn"]["properties"]["amount"].update(
        maximum=50
    ),
    "response-property-removed": lambda s: schemas(s)["Thing"]["properties"].pop("price"),
    "response-property-optional": lambda s: schemas(s)["Thing"].update(required=["id"]),
    "response-type-widened": lambda s: schemas(s)["Thing"]["properties"]["price"].update(
        type=["string", "null"]
    ),
    "response-enum-widened": lambda s: schemas(s)["Thing"]["properties"]["status"]["enum"].append(
        "failed"
    ),
}


def test_every_rule_has_a_firing_case() -> None:
    assert sorted(FIRES) == sorted(breaking.RULES)


@pytest.mark.parametrize("rule", sorted(FIRES))
def test_rule_fires(rule: str) -> None:
    assert rule in rules_after(FIRES[rule])


def add_required(spec: Spec, name: str) -> None:
    schemas(spec)["ThingIn"]["properties"][name] = {"type": "string"}
    schemas(spec)["ThingIn"]["required"].append(name)


# More ways each family fires: other keywords, nested places, parameters.
MORE_FIRING: list[tuple[str, str, Callable[[Spec], None]]] = [
    ("new required parameter", "parameter-required",
     lambda s: op(s)["parameters"].append({"name": "x", "in": "header", "required": True, "schema": {}})),
    ("parameter removed", "request-field-removed", lambda s: op(s).pop("parameters")),
    ("new required body property", "request-property-required", lambda s: add_required(s, "extra")),
    ("number -> integer", "request-type-narrowed",
     lambda s: schemas(s)["ThingIn"]["properties"]["amount"].update(type=["string", "integer"])),
    ("enum put on an open field", "request-enum-narrowed",
     lambda s: schemas(s)["ThingIn"]["properties"]["note"].update(enum=["a", None])),
    ("pattern narrowed", "request-constraint-tightened",
     lambda s: schemas(s)["Pair"].update(pattern="^[A-Z]{1,3}_[A-Z]{1,5}$")),
    ("pattern added", "request-constraint-tightened",
     lambda s: schemas(s)["ThingIn"]["properties"]["note"].update(pattern="^[a-z]+$")),
    ("maxItems lowered in an array", "request-constraint-tightened",
     lambda s: schemas(s)["ThingIn"]["properties"]["tags"].update(maxItems=2)),
    ("minLength raised", "request-constraint-tightened",
     lambda s: schemas(s)["ThingIn"]["properties"]["amount"].update(minLength=2)),
    ("maxLength added below what the pattern allowed", "request-constraint-tightened",
     lambda s: schemas(s)["Pair"].update(maxLength=5)),
    ("closed object", "request-constraint-tightened", lambda s: schemas(s)["ThingIn"].update(additionalProperties=False)),
    ("integer -> number in an answer", "response-type-widened",
     lambda s: schemas(s)["Thing"]["properties"]["id"].update(type="number")),
    ("nested array item property removed", "response-property-removed",
     lambda s: schemas(s)["Thing"]["properties"]["steps"]["items"]["properties"].pop("n")),
    ("enum dropped from an answer", "response-enum-widened",
     lambda s: schemas(s)["Thing"]["properties"]["status"].pop("enum")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "change"), [(r, c) for _, r, c in MORE_FIRING], ids=[n for n, _, _ in MORE_FIRING]
)
def test_rule_fires_in_more_places(rule: str, change: Callable[[Spec], None]) -> None:
    assert rule in rules_after(change)


# --- compatible changes do not fire --------------------------------------------------------------------------

COMPATIBLE: list[tuple[str, Callable[[Spec], None]]] = [
    ("new operation", lambda s: s["paths"].update({"/other": {"get": {"responses": {"200": {"description": "ok"}}}}})),
    ("a 201 beside the 200", lambda s: op(s)["responses"].update({"201": op(s)["responses"]["200"]})),
    ("new error status", lambda s: op(s)["responses"].update({"429": {"description": "slow down"}})),
    ("error status removed", lambda s: op(s)["responses"].pop("422")),
    ("new optional parameter", lambda s: op(s)["parameters"].append({"name": "y", "in": "query", "schema": {}})),
    ("new optional body property", lambda s: schemas(s)["ThingIn"]["properties"].update(extra={"type": "string"})),
    ("request requirement dropped", lambda s: schemas(s)["ThingIn"].update(required=[])),
    ("request type widened", lambda s: schemas(s)["ThingIn"]["properties"]["side"].update(type=["string", "null"])),
    ("request enum value added", lambda s: schemas(s)["ThingIn"]["properties"]["side"]["enum"].append("short")),
    ("request bound loosened", lambda s: schemas(s)["ThingIn"]["properties"]["amount"].update(maximum=1000)),
    ("request pattern widened", lambda s: schemas(s)["Pair"].update(pattern="^[A-Z0-9]{1,20}_[A-Z0-9]{1,30}([_-][A-Z0-9]{1,30}){0,3}$")),
    ("maxLength above what the old pattern allowed", lambda s: schemas(s)["Pair"].update(maxLength=80)),
    ("new response property", lambda s: schemas(s)["Thing"]["properties"].update(extra={"type": "string"})),
    ("response property made required", lambda s: schemas(s)["Thing"]["required"].append("price")),
    ("response type narrowed", lambda s: schemas(s)["Thing"]["properties"]["kind"].update(enum=["a"])),
    ("response enum value removed", lambda s: schemas(s)["Thing"]["properties"]["status"].update(enum=["open"])),
    ("x-known-values extended", lambda s: schemas(s)["Thing"]["properties"]["kind"]["x-known-values"].append("c")),
    ("path parameter renamed", lambda s: s["paths"].update({"/things/{thing_id}": s["paths"].pop("/things/{id}")})),
    ("descriptions and examples", lambda s: schemas(s)["Thing"].update(description="x", examples=[{"id": 1}])),
]  # fmt: skip


@pytest.mark.parametrize("change", [c for _, c in COMPATIBLE], ids=[n for n, _ in COMPATIBLE])
def test_compatible_change_does_not_fire(change: Callable[[Spec], None]) -> None:
    assert rules_after(change) == []


def test_a_change_names_its_location() -> None:
    old, new = base(), base()
    new["components"]["schemas"]["Thing"]["properties"]["steps"]["items"]["properties"].pop("n")
    (change,) = breaking.compare(old, new)
    assert str(change) == (
        "[response-property-removed] POST /things/{id} response 200 application/json: body.steps[].n: "
        "the property is gone"
    )


def test_pattern_samples_match_and_are_deterministic() -> None:
    pattern = "^[A-Z0-9]{1,20}_[A-Z0-9]{1,20}(_[A-Z0-9]{1,20})?$"
    samples = breaking.pattern_samples(pattern)
    assert samples and samples == breaking.pattern_samples(pattern)
    assert any(s.count("_") == 2 for s in samples) and any(s.count("_") == 1 for s in samples)
    # Lookarounds are not sampled: a change of such a pattern is flagged.
    assert breaking.pattern_samples("^(?=a)a$") is None


# --- the version gate and the allow-list ---------------------------------------------------------------------


def removed_price() -> tuple[Spec, Spec]:
    old, new = base(), base()
    new["components"]["schemas"]["Thing"]["properties"].pop("price")
    return old, new


def test_breaking_change_fails_without_a_major_bump() -> None:
    old, new = removed_price()
    new["info"]["version"] = "1.1.0+curated.1"
    verdict = breaking.judge("tiny", old, new)
    assert not verdict.ok and [c.rule for c in verdict.unexcused] == ["response-property-removed"]


def test_major_bump_accepts_breaking_changes() -> None:
    old, new = removed_price()
    new["info"]["version"] = "2.0.0+curated.1"
    assert breaking.judge("tiny", old, new).ok


def test_allow_list_entry_excuses_one_change_against_its_baseline() -> None:
    old, new = removed_price()
    entry = {
        "target": "tiny",
        "baseline": "1.0.0+curated.1",
        "rule": "response-property-removed",
        "location": "POST /things/{id} response 200 application/json: body.price",
        "reason": "never sent",
    }
    assert breaking.judge("tiny", old, new, [entry]).ok
    assert not breaking.judge("tiny", old, new, [{**entry, "baseline": "0.9.0"}]).ok
    assert not breaking.judge("other", old, new, [entry]).ok


def test_allow_list_entries_need_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "allowed.yaml"
    path.write_text("allowed: [{target: t, baseline: '1', rule: operation-removed, location: x}]\n")
    with pytest.raises(ValueError, match="reason"):
        breaking.load_allow_list(path)


def test_the_repository_allow_list_loads() -> None:
    breaking.load_allow_list(REPO_ROOT / breaking.ALLOW_LIST)


def test_baseline_is_the_highest_released_version(tmp_path: Path) -> None:
    for name in (
        "x-1.0.0+curated.1.yaml",
        "x-1.0.0+curated.10.yaml",
        "x-1.0.0+curated.2.yaml",
        "xy-9.0.0.yaml",
    ):
        (tmp_path / name).write_text("{}")
    assert (
        breaking.baseline_for(Path("openapi/x.yaml"), tmp_path)
        == tmp_path / "x-1.0.0+curated.10.yaml"
    )
    assert breaking.baseline_for(Path("openapi/z.yaml"), tmp_path) is None


# --- every target against its released baseline -------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_target_has_no_unexcused_breaking_change(target: Any) -> None:
    baseline = breaking.baseline_for(target.spec, REPO_ROOT / breaking.RELEASED_DIR)
    if baseline is None:
        pytest.skip(
            f"{target.name}: no released baseline {target.spec.stem}-<version>.yaml in {breaking.RELEASED_DIR}"
        )
    allowed = breaking.load_allow_list(REPO_ROOT / breaking.ALLOW_LIST)
    verdict = breaking.judge(
        target.name, breaking.load(baseline), breaking.load(REPO_ROOT / target.spec), allowed
    )
    assert verdict.ok, "\n".join(str(c) for c in verdict.unexcused)


def test_baseline_file_name_matches_its_version() -> None:
    for path in sorted((REPO_ROOT / breaking.RELEASED_DIR).glob("*-*.yaml")):
        if path.name == breaking.ALLOW_LIST.name:
            continue
        _, _, version = path.stem.partition("-")
        assert str(breaking.load(path)["info"]["version"]) == version, path
