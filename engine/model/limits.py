"""Bounds shared by validation and evaluation.

``LIMIT``: numbers the engines compute with are finite and below 10^15 in absolute
value; beyond it float arithmetic loses whole units. The validator refuses ruleset
numbers at or above it, and a derived value that reaches it counts as missing.
"""

LIMIT = 1e15
