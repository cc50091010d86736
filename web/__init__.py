"""The served door (`maatwerk serve`): the JSON API under /api/v1 and the HTML pages.

An edge like cli/: it reads HTTP requests, authenticates the caller and calls the same
engine functions as the CLI; no rule, message or status is computed here. Identity
always comes from authentication (a session after a password login, or an API
token of a service account acting for a named user), never from a request body.
"""
