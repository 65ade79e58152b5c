"""What fuzzing needs to know of each served API, so adding an API adds its fuzzing.

Each API package may have a `fuzz` module with a `PROFILE` (a `FuzzProfile`): how a case is
authenticated as the API's demo user (placeholders only where the generated case carries the auth
headers) and signed at the last moment, how a valid create is made to open a real order, what an
error that names the problem looks like in this API's shape, and which operations read the user's
data back after a write (the fuzz runs' read-back invariant, tests/fuzz/readback.py).

`profiles()` lists the profiles of `reference_server.apis.APIS`, in that order; `profile_for` finds
the one of a loaded spec (by its `info.title`). Nothing here imports schemathesis: the hooks that
do are in reference_server/fuzz_hooks.py.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from spec_tools.load import load_yaml
from spec_tools.operations import by_operation_id

from .apis import APIS
from .protocol import ApiDefinition

# (method, raw path, raw query, body) -> the auth headers a correct client sends, as raw bytes.
RawSigner = Callable[[str, bytes, bytes, bytes], list[tuple[bytes, bytes]]]


@dataclass(frozen=True)
class ReadBack:
    """The read-back invariant of one API: after an accepted write, each `lists` operation (with
    its query) and `get` of the written resource answer 2xx with bodies conforming to the spec."""

    # (operationId, query parameters) of the operations that list the user's data.
    lists: tuple[tuple[str, Mapping[str, str]], ...]
    # The operation that reads one resource, and its path parameter.
    get: str
    get_parameter: str
    # Writes that answer a new resource: operationId -> the answer's field holding its id.
    creates: Mapping[str, str]
    # Path parameters that name the resource a write changed, tried in order.
    path_parameters: tuple[str, ...]
    # Writes whose resource `get` cannot read (another family of the API, with its own ids): after
    # them the lists alone are read.
    lists_only: frozenset[str] = frozenset()

    def written_id(self, operation_id: str, path_parameters: Mapping[str, Any], body: Any) -> Any:
        """The resource an accepted write changed or created (None: the lists alone are read)."""
        if operation_id in self.lists_only:
            return None
        if operation_id in self.creates:
            return body.get(self.creates[operation_id]) if isinstance(body, dict) else None
        for name in self.path_parameters:
            if name in (path_parameters or {}):
                return path_parameters[name]
        return None


@dataclass(frozen=True)
class Hostile:
    """What tests/fuzz/test_fuzz_hostile.py needs to send an API its generic hostile inputs."""

    # A create body the server accepts and keeps open, and the operations to send it with.
    valid_create: Mapping[str, Any]
    create: str
    cancel: str
    # The lowercase names of the auth headers (latin-1 bytes go into each), and the error codes a
    # refused one may answer with.
    auth_headers: tuple[str, ...]
    auth_error_codes: tuple[Any, ...]
    # Query parameter names of the list operations (heads for bracket keys).
    query_names: tuple[str, ...]


@dataclass(frozen=True)
class FuzzProfile:
    api: ApiDefinition
    # The case's headers (a dict, changed in place), and whether the case is positive:
    # placeholders where the auth headers are.
    set_auth: Callable[[dict[str, Any], bool], None]
    # A `requests` auth that turns placeholders into a real signature from the prepared request.
    signer: Callable[[Any], Any]
    # Raw headers for an in-process client signing exact bytes.
    sign_raw: RawSigner
    # operationId, the case (positive mode): makes a valid create open a real order.
    map_case: Callable[[str, Any], None]
    # (status, parsed JSON body) of a 4xx -> what is wrong with it, or None when it names the
    # problem in this API's error shape.
    error_complaint: Callable[[int, Any], str | None]
    read_back: ReadBack
    hostile: Hostile
    # Component schemas Schemathesis is given in another, equivalent form (component name -> the
    # keys replaced), for schemas its generator cannot handle as the spec writes them; each
    # package's tests check that the two forms accept the same bodies.
    generation_overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # Points the signers' timestamps at a clock (ms since the epoch; None: the wall clock again),
    # for an API whose signatures carry the time: an in-process app on an injected clock judges
    # the time window on that clock.
    sign_on: Callable[[Callable[[], int] | None], None] | None = None
    # Component schemas whose negative cases are generated without their cross-field rules (the
    # top-level `allOf`): a body that breaks the rest of the schema breaks the whole, so every such
    # case is still negative. With the rules, each mutated schema Schemathesis draws is
    # canonicalised with every combination of them (0.2-1.3 s each, a quarter of the stateless fuzz
    # time); the positive cases keep them. The rules' own violations are sent by the curation-rule
    # tests (tests/server/test_server_curation_rules.py).
    rule_free_negatives: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.api.name

    def negative_generation_spec(self) -> dict[str, Any]:
        """`generation_spec` without the top-level `allOf` of the `rule_free_negatives`."""
        document = self.generation_spec()
        schemas = document["components"]["schemas"]
        for name in self.rule_free_negatives:
            if "allOf" not in schemas[name]:
                raise ValueError(f"{self.name}: {name} has no top-level allOf to generate without")
            schemas[name] = {key: value for key, value in schemas[name].items() if key != "allOf"}
        return document

    def rule_free_operations(self) -> frozenset[str]:
        """The operationIds whose request bodies are one of the `rule_free_negatives`."""
        refs = {f"#/components/schemas/{name}" for name in self.rule_free_negatives}
        return frozenset(
            operation_id
            for operation_id, (_, _, operation) in by_operation_id(load_yaml(self.api.spec_path)).items()
            if any(
                media.get("schema", {}).get("$ref") in refs
                for media in operation.get("requestBody", {}).get("content", {}).values()
            )
        )

    def generation_spec(self) -> dict[str, Any]:
        """The API's spec as Schemathesis generates from it: the spec with `generation_overrides`."""
        document: dict[str, Any] = load_yaml(self.api.spec_path)
        schemas = document["components"]["schemas"]
        for name, keys in self.generation_overrides.items():
            schemas[name] = {**schemas[name], **copy.deepcopy(dict(keys))}
        return document


def _package(api: ApiDefinition) -> str:
    return api.authenticator.__module__.rsplit(".", 1)[0]


@cache
def profiles() -> tuple[FuzzProfile, ...]:
    """Every served API's profile (an API package without a `fuzz` module is not fuzzed)."""
    out = []
    for api in APIS:
        try:
            module = importlib.import_module(_package(api) + ".fuzz")
        except ModuleNotFoundError:
            continue
        out.append(module.PROFILE)
    return tuple(out)


@cache
def _titles() -> dict[str, FuzzProfile]:
    out = {}
    for profile in profiles():
        document = load_yaml(profile.api.spec_path)
        out[document["info"]["title"]] = profile
    return out


def profile_for(raw_schema: Mapping[str, Any]) -> FuzzProfile:
    """The profile of the API whose spec `raw_schema` is."""
    title = raw_schema.get("info", {}).get("title")
    try:
        return _titles()[title]
    except KeyError:
        raise LookupError(f"no fuzz profile for the spec titled {title!r}") from None


def profile_named(name: str) -> FuzzProfile:
    return next(p for p in profiles() if p.name == name)
