"""Stores of the decision log: one ``Store`` interface, SQLite and PostgreSQL behind it,
the versioned schema migrations both share (`schema`, applied by `migration`), and the
index beside the chain (`index`), filled for an older log in resumable batches (`backfill`).
"""
