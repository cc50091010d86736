"""Looking back at the log: verify the chain, replay besluiten, the impact of another
ruleset, reports (text, JSON, CSV, HTML) and masked exports.

Top layer of the engine: may import every other layer. Only ``cli`` and ``web`` import it.
"""
