"""Stores of the decision log: one ``Store`` interface, SQLite and PostgreSQL behind it,
and the versioned schema migrations both share.
"""
