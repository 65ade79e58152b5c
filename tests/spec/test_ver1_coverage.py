"""Every parameter and entity field of seed 002 (3Commas ver1 SmartTrades) is in the spec.

The seed is parsed, not restated: each `### ...` section with a `METHOD /ver1/...` code block and a
parameter table gives (method, path, [first-column names]); the two entity listings give their keys.
Each table name must be a request property, query or path parameter of that operation; each listed key
a property of `SmartTradeV1` / `SmartTradeV1Step`. A name the registry records as a typo (an entry of
category `typo` with `absent`/`present` field paths) must be absent and its fix present instead.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator import schema_paths

SEED = Path(__file__).resolve().parents[2] / "openapi" / "sources" / "002_d891be67bd64764a.txt"
V1_OPERATIONS = {
    "create_simple_sell_v1", "create_simple_buy_v1", "create_smart_sell_v1", "create_smart_cover_v1",
    "create_smart_trade_v1", "list_smart_trades_v1", "cancel_order_v1", "add_funds_v1", "step_panic_sell_v1",
    "update_smart_trade_v1", "cancel_smart_trade_v1", "panic_sell_v1", "force_process_v1",
}  # fmt: skip
ENTITIES = {"SmartTradeEntity": "SmartTradeV1", "SmartTradeStepEntity": "SmartTradeV1Step"}
Spec = dict[str, Any]


def _sections() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    return re.split(r"^#{3} ", text, flags=re.MULTILINE)[1:]


def seed_tables() -> list[tuple[str, str, list[str], list[str]]]:
    """(method, path, parameter names, item keys of array parameters) per documented operation."""
    tables = []
    for section in _sections():
        endpoint = re.search(r"^(GET|POST|PATCH|PUT|DELETE) (/ver1/\S+)$", section, re.MULTILINE)
        if not endpoint:
            continue
        names: list[str] = []
        item_keys: list[str] = []
        rows = section.split("------------ | ------------", 1)[1].splitlines()[1:]
        for row in rows:
            if "|" not in row:
                break
            cell = row.split("|", 1)[0].strip()
            names.append(cell.split("[", 1)[0])
            item_keys += re.findall(r"<br>\s*(\w+) =>", cell)
        tables.append((endpoint[1].lower(), endpoint[2], names, item_keys))
    return tables


def seed_entities() -> dict[str, list[str]]:
    """The keys of each entity listing (`key: value   comment` lines inside its code block)."""
    found = {}
    for section in _sections():
        title = section.split("\n", 1)[0].strip()
        if title in ENTITIES:
            block = section.split("```")[1]
            found[title] = re.findall(r"^\s*([a-z_]+):", block, re.MULTILINE)
    return found


def typo_fixes(registry: Spec) -> dict[str, tuple[list[str], list[str]]]:
    """Misspelled name -> (its absent field paths, the present fixes), from the registry's typo entries."""
    fixes: dict[str, tuple[list[str], list[str]]] = {}
    for entry in registry["entries"]:
        check = entry.get("check", {})
        if entry["category"] == "typo" and check.get("absent"):
            for path in check["absent"]:
                fixes[path.rsplit("#", 1)[-1].rsplit(".", 1)[-1]] = (
                    check["absent"],
                    check["present"],
                )
    return fixes


def operation(spec: Spec, method: str, path: str) -> Spec:
    return spec["paths"][path][method]


def accepted_names(spec: Spec, method: str, path: str) -> tuple[set[str], str | None]:
    """Parameter names and body properties of an operation, and its body component."""
    item = spec["paths"][path]
    op = item[method]
    params = [
        schema_paths.resolve(spec, p)
        for p in [*item.get("parameters", []), *op.get("parameters", [])]
    ]
    names = {p["name"] for p in params}
    ref = (
        (op.get("requestBody") or {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
        .get("$ref")
    )
    component = ref.rsplit("/", 1)[-1] if ref else None
    if component:
        names |= set(spec["components"]["schemas"][component]["properties"])
    return names, component


def test_the_seed_parses_into_thirteen_tables_and_two_listings() -> None:
    tables = seed_tables()
    assert len(tables) == 13
    assert sum(len(names) for _, _, names, _ in tables) == 136
    entities = seed_entities()
    assert set(entities) == set(ENTITIES)
    assert len(entities["SmartTradeEntity"]) == 62 and len(entities["SmartTradeStepEntity"]) == 29


def test_the_thirteen_operations_are_ver1_and_deprecated(spec: Spec) -> None:
    found = {}
    for method, path, _, _ in seed_tables():
        op = operation(spec, method, path)
        found[op["operationId"]] = op
    assert set(found) == V1_OPERATIONS
    v2_ids = {
        o["operationId"] for item in spec["paths"].values() for o in item.values()
        if isinstance(o, dict) and o.get("tags") != ["smart_trades_v1"] and "operationId" in o
    }  # fmt: skip
    for op_id, op in found.items():
        assert op["tags"] == ["smart_trades_v1"] and op["deprecated"] is True, op_id
        named = set(re.findall(r"`(\w+)` \(v2\)", op["description"]))
        assert len(named) == 1 and named <= v2_ids, op_id
        assert op["x-permission"] == (
            "SMART_TRADE_READ" if op_id == "list_smart_trades_v1" else "SMART_TRADE_WRITE"
        )
        assert op["x-weight"] == 1 and op["x-rate-limit"]
        assert op["security"] == [{"ApiKey": [], "Signature": []}]
        assert {"$ref": "#/components/parameters/ForcedMode"} in op["parameters"]
        assert {"400", "401", "403", "418", "429", "5XX"} <= set(op["responses"])
    assert found["list_smart_trades_v1"]["x-rate-limit"]["requests"] == 40


@pytest.mark.parametrize("table", seed_tables(), ids=lambda t: f"{t[0]} {t[1]}")
def test_every_table_parameter_is_in_the_spec(
    spec: Spec, registry: Spec, table: tuple[str, str, list[str], list[str]]
) -> None:
    method, path, names, item_keys = table
    accepted, component = accepted_names(spec, method, path)
    fixes = typo_fixes(registry)
    missing = [n for n in names if n not in accepted and n not in fixes]
    assert missing == [], f"{method.upper()} {path}: not in the spec: {missing}"
    if item_keys:
        assert component is not None
        items = {
            p.rsplit(".", 1)[-1]
            for p in schema_paths.field_paths(spec, component, "take_profit_step_orders[]")
        }
        assert set(item_keys) - items == set()


@pytest.mark.parametrize("listing", sorted(ENTITIES))
def test_every_entity_field_is_in_the_spec(spec: Spec, registry: Spec, listing: str) -> None:
    component = ENTITIES[listing]
    fixes = typo_fixes(registry)
    keys = seed_entities()[listing]
    properties = set(spec["components"]["schemas"][component]["properties"])
    missing = [k for k in keys if k not in properties and k not in fixes]
    assert missing == [], f"{component}: not in the spec: {missing}"
    for key in (k for k in keys if k in fixes):
        absent, present = fixes[key]
        assert key not in properties
        assert all(not schema_paths.find(spec, p) for p in absent), key
        assert all(schema_paths.find(spec, p) for p in present), key


def test_the_registered_ver1_typos_are_the_seeds_misspellings(registry: Spec) -> None:
    keys = set(seed_entities()["SmartTradeStepEntity"])
    assert {"trailing_last_pirce", "trailing_last_pirce_updated_at"} <= set(
        typo_fixes(registry)
    ) & keys


def test_timestamps_admit_both_forms(validator: Any) -> None:
    check = validator("TimestampV1")
    for listed in re.findall(
        r"_at: (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", SEED.read_text(encoding="utf-8")
    ):
        assert check.is_valid(listed), listed
    assert check.is_valid("2024-08-12T14:35:21.632Z")


def test_create_links_reach_every_id_taking_ver1_operation(spec: Spec) -> None:
    id_ops = {
        op["operationId"] for path, item in spec["paths"].items() if path.startswith("/ver1/") and "{smart_trade_id}" in path
        for op in item.values() if isinstance(op, dict) and "operationId" in op
    }  # fmt: skip
    assert len(id_ops) == 7
    for path, item in spec["paths"].items():
        if path.startswith("/ver1/smart_trades/create_"):
            for code in ("200", "201"):
                links = schema_paths.resolve(spec, item["post"]["responses"][code])["links"]
                assert {link["operationId"] for link in links.values()} == id_ops
                assert {str(link["parameters"]) for link in links.values()} == {
                    "{'smart_trade_id': '$response.body#/id'}"
                }


def test_a_dropped_parameter_is_noticed(spec: Spec) -> None:
    broken = {
        **spec,
        "components": {**spec["components"], "schemas": dict(spec["components"]["schemas"])},
    }
    request = dict(broken["components"]["schemas"]["CreateSmartTradeV1Request"])
    request["properties"] = {
        k: v for k, v in request["properties"].items() if k != "trailing_buy_step"
    }
    broken["components"]["schemas"]["CreateSmartTradeV1Request"] = request
    accepted, _ = accepted_names(broken, "post", "/ver1/smart_trades/create_smart_trade")
    table = next(t for t in seed_tables() if t[1] == "/ver1/smart_trades/create_smart_trade")
    assert [n for n in table[2] if n not in accepted] == ["trailing_buy_step"]
