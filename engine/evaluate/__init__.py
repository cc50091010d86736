"""Checking a voorstel: derive facts, compile a resolved ruleset to a backend
(durable-rules or plain Python), evaluate, and explain each afwijking.

Pure: no I/O, clock or environment; the peildatum is an argument.
May import: ``model``, ``rules`` and ``errors``. Never ``log`` or ``audit``.
"""
