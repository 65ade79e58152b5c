"""The 3Commas SmartTrade v2 API of the reference server (served at `/public/api`)."""
