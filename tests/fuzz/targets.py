"""The APIs the fuzz tests run against: one `Target` per API profile (reference_server/fuzzing.py,
from reference_server.apis.APIS), so adding an API (with a `fuzz` module) adds its fuzzing.

Each target has its own app (rate limits off) on a deterministic clock (`FuzzClock`: a fixed start,
one millisecond further at each reading, back to the start on `reset`), so a stateful scenario
replays exactly and a failing one shrinks instead of being reported as flaky.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import urlparse

import schemathesis
from schemathesis.generation import GenerationMode

from reference_server.app import create_app
from reference_server.fuzzing import FuzzProfile, profiles
from reference_server.protocol import clock_ms
from spec_tools.load import load_yaml

from .budget import CONFIG, mode_config
from .inprocess import SameThreadSession
from .readback import AsgiClient, Contract, ReadBack

START = datetime(2024, 11, 12, tzinfo=UTC)


class FuzzClock:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.ticks = 0

    def __call__(self) -> datetime:
        self.ticks += 1
        return START + timedelta(milliseconds=self.ticks)


@dataclass
class Target:
    profile: FuzzProfile
    app: Any
    clock: FuzzClock
    schema: Any
    client: AsgiClient
    contract: Contract
    read_back: ReadBack
    # The session every case is sent with (Schemathesis' in-process client calling the app in this
    # thread, made once): without one, Schemathesis builds a session per case and reads the proxy
    # variables of the environment for each request (a tenth of a case's time).
    session: SameThreadSession
    # Labels of the operations fuzzed a mode at a time (`FuzzProfile.rule_free_negatives`).
    rule_free_labels: frozenset[str] = field(default_factory=frozenset)

    @property
    def name(self) -> str:
        return self.profile.name

    @cached_property
    def positive_schema(self) -> Any:
        """The generation spec with the positive mode alone (half the stateless counts)."""
        return self._schema(self.profile.generation_spec(), GenerationMode.POSITIVE)

    @cached_property
    def negative_schema(self) -> Any:
        """The spec without the `rule_free_negatives`' rules, negative mode alone."""
        return self._schema(self.profile.negative_generation_spec(), GenerationMode.NEGATIVE)

    def _schema(self, spec: dict[str, Any], mode: GenerationMode) -> Any:
        schema = schemathesis.openapi.from_dict(spec, config=mode_config(mode))
        schema.app = self.app
        return schema

    @property
    def ident(self) -> str:
        return self.name.replace("-", "_")

    def reset(self) -> None:
        self.app.state.reference.reset()
        self.clock.reset()


def _target(profile: FuzzProfile) -> Target:
    clock = FuzzClock()
    app = create_app(rate_limit=False, clock=clock)
    if profile.sign_on is not None:
        # Signatures carry the app's time, so the time window holds however slow a run gets, and a
        # replayed scenario sends the same bytes.
        profile.sign_on(clock_ms(clock))
    spec_path = profile.api.spec_path
    document = load_yaml(spec_path)
    served_at = urlparse(document["servers"][0]["url"]).path.rstrip("/")
    assert served_at == profile.api.prefix, (
        f"{profile.name}: the spec's server path {served_at!r} is not the prefix "
        f"{profile.api.prefix!r} the reference server serves it at"
    )
    # The spec, with the component schemas the profile gives Schemathesis in a form it can generate.
    schema = schemathesis.openapi.from_dict(profile.generation_spec(), config=CONFIG)
    schema.app = app
    client = AsgiClient(app, profile)
    contract = Contract(spec_path)
    session = SameThreadSession(app)
    session.__enter__()  # the app's lifespan, started once
    rule_free = profile.rule_free_operations()
    rule_free_labels = frozenset(
        operation.label
        for result in schema.get_all_operations()
        if (operation := result.ok()).definition.raw.get("operationId") in rule_free
    )
    assert len(rule_free_labels) == len(rule_free), (rule_free, rule_free_labels)
    return Target(
        profile, app, clock, schema, client, contract, ReadBack(client, contract), session,
        rule_free_labels,
    )


TARGETS: dict[str, Target] = {profile.name: _target(profile) for profile in profiles()}
