"""Rulesets as data: strict YAML, loading and validation, the condition language
(tree, parser, type checker), resolution of a ruleset against its base, the catalogue
of rulesets on disk and its cache, ruleset example cases and diffs.

May import: ``model`` and ``errors``. Never ``evaluate``, ``log`` or ``audit``.
"""
