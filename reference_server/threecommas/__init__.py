"""The 3Commas SmartTrade v2 API of the reference server (served at `/public/api`).

One concern per module, each depending only on those above it:

- `statuses`: the SmartTrade and order statuses, order purposes, titles (the only status strings).
- `machine`: the table of actions each SmartTrade status allows, its transitions, the guards.
- `model`: `Order` and `SmartTrade`, with the amounts derived from their orders.
- `engine`: what a price move does: entries, take profits, trailing, stop loss, closing.
- `commands`: what the user asks for: cancel, close, force start/process, funds, order actions.
- `rules`: the body rules JSON Schema cannot say (volumes add up to 100, breakeven, leverage).
- `build`: request bodies into a new SmartTrade (create) or changes to one (update).
- `render`: SmartTrades, steps and trades as the API answers them.

What the core reads through `api.API`: `handlers` (one per operationId),
`auth` (HMAC and RSA signatures), `errors` (the API's error bodies), `users`, `store` (the state).
"""
