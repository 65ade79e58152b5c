"""Spec-to-SDK generator: validates and lints each spec, then builds its client package."""
