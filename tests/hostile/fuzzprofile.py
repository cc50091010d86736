"""The fuzz profile, selected by MAATWERK_FUZZ=ci|full (default ci).

ci: a short run that fits the CI budget (about 720 inputs); full: at least
10,000 inputs, the 8 x 500 decision-log run and more SIGKILLs (`bench/soak.py`
runs the same code for its long run).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

os.environ.setdefault("MAATWERK_CACHE", "off")     # fuzz input must not fill the user's cache

FUZZ = os.environ.get("MAATWERK_FUZZ", "ci")
if FUZZ not in ("ci", "full"):
    raise SystemExit(f"MAATWERK_FUZZ={FUZZ!r}: use ci or full")
# Inputs per strategy. ci: ~720 in about 20 s on 2 cores; full: 10,200 (plus the process
# sample, the giants and the argument fuzz of test_fuzz_args.py).
SIZES = {"ci": {"voorstel": 450, "ruleset": 120, "tree": 140, "subprocess": 12},
         "full": {"voorstel": 6500, "ruleset": 2500, "tree": 1200, "subprocess": 60}}[FUZZ]
# Decision log under load: CI 8 x 60 per store; the full 8 x 500 runs in bench/soak.py
# (and here with MAATWERK_FUZZ=full).
WRITERS, EACH = (8, 60) if FUZZ == "ci" else (8, 500)
KILLS = 6 if FUZZ == "ci" else 40

for name in ("ci", "full"):
    settings.register_profile(f"maatwerk-fuzz-{name}", deadline=None, database=None,
                              max_examples=SIZES["voorstel"], print_blob=True,
                              suppress_health_check=list(HealthCheck))
PROFILE = settings.get_profile(f"maatwerk-fuzz-{FUZZ}")


def fuzz_settings(kind: str) -> settings:
    return settings(PROFILE, max_examples=SIZES[kind])


