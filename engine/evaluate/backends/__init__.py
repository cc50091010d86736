"""The compiled forms of one condition tree: ``durable`` (durable-rules' C core, the
default for single checks) and ``python`` (closures, the differential oracle).

May import: ``model``, ``rules``, ``evaluate.derive`` and ``errors``.
"""
