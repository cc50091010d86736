"""The JSON API under /api/v1: one module per resource, each an APIRouter.

Every route calls the engine functions the CLI calls; what a route returns is the
JSON the matching `--json` command prints.
"""
