"""maatwerk engine: rulesets, the check on durable-rules, the decision log."""

__version__ = "0.1.0"
