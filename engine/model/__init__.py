"""The domain's shapes: voorstel, ruleset and afwijking models, the field catalogue,
iWmo/iJw code lists, canonical JSON, shared limits and Dutch number wording.

Lowest layer: imports nothing of maatwerk but ``maatwerk.engine.errors``.
"""
