"""A stateful, offline stand-in for the 3Commas SmartTrade v2 API (see README)."""
