"""Spec tooling every part of the project shares: the generator, the reference server, the docs build and
the tests import it; it imports none of them.

load        load a spec (YAML), validate it against OpenAPI 3.1; SpecError, LintProblem
refs        THE `$ref` resolver (local JSON pointers), and the jsonschema registry of a spec document
operations  the operations of a spec (METHODS, path items followed through `$ref`)
paths       field paths (`SmartTrade#take_profit.steps[].price`) through refs, branches and items
validators  a Draft 2020-12 validator for any schema of a spec, by JSON pointer
lint        generation lint and contract lint, with per-API profiles (PROFILES)
curation    the curation registry check (entries against sources and spec, business rules)
check       the whole gate: load, validate, lint, registry
breaking    breaking changes between a released spec and the current one, and the version gate
versions    package versions from spec versions
"""
