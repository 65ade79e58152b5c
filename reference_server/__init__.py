"""A stateful, offline stand-in for the 3Commas SmartTrade v2 and Poloniex smart-order APIs: a core
(this package's modules) and one package per API (see README: Reference server)."""
