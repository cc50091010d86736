"""The decision log: events and their hash chain, the rules of a besluit (motivering,
four eyes, status) and the stores (SQLite, PostgreSQL) behind one interface.

May import: ``model``, ``rules``, ``evaluate`` and ``errors``. Never ``audit``.
"""
