"""The `maatwerk` command line (click); every message in Dutch (see click_nl)."""

from .click_nl import install as _install_dutch

_install_dutch()
