"""Builds the API reference pages (`make docs`) and lints the specs with Redocly (`make docs-lint`)."""
