"""Bench the pages: server-side render time per page with a log of N besluiten, and the
live check's round trip. Prints figures; never a pass/fail.

    python bench/pages.py [--quick] [--json]

Builds its own SQLite log (N = 20,000 besluiten, `--quick` 3,000, as bench/run.py does),
starts `maatwerk serve` on a free loopback port, logs in as a consulent and requests each
page R times over HTTP (keep-alive, one client): the figures are wall times per request as
the client sees them (render plus loopback), p50 and p99 in ms.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests" / "support"))

import run  # noqa: E402  (bench/run.py: machine(), pct(), fill_log())

SIZES = {"quick": {"log": 3000, "requests": 100}, "full": {"log": 20000, "requests": 400}}
PASSWORD = "bench-wachtwoord-lang-genoeg"
FORM = {"client.pseudoniem": "C-4821", "gemeente": "gm0344", "wet": "wmo2015",
        "procedure.melding": "2026-01-05", "procedure.aanvraag": "2026-02-12",
        "voorzieningen.1.productcategorie": "01", "voorzieningen.1.volume": "3,5",
        "voorzieningen.1.eenheid": "04", "voorzieningen.1.frequentie": "2",
        "voorzieningen.1.hbh.extra_inzet": "enig"}


def login(client, naam: str) -> str:
    import re
    page = client.get("/inloggen")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = client.post("/inloggen", data={"gebruiker": naam, "wachtwoord": PASSWORD, "csrf": csrf,
                                       "volgende": "/voorstel"})
    assert r.status_code == 303, r.text
    page = client.get("/voorstel")
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def timed(call, n: int) -> list[float]:
    for _ in range(5):
        assert call().status_code < 400
    out = []
    for _ in range(n):
        start = time.perf_counter()
        r = call()
        out.append((time.perf_counter() - start) * 1000)
        assert r.status_code < 400, r.status_code
    return out


def measure(server, n: int) -> dict:
    import webserver
    webserver.add_person(server.db, "b.consulent", rollen=("consulent",), wachtwoord=PASSWORD)
    figures = {}
    with server.client(follow_redirects=False) as client:
        csrf = login(client, "b.consulent")
        form = {**FORM, "csrf": csrf}
        pages = {"voorstel_form": lambda: client.get("/voorstel"),
                 "toets": lambda: client.post("/voorstel", data={**form, "actie": "toets"}),
                 "ruimte": lambda: client.post("/ruimte", data=form),
                 "live_check": lambda: client.post("/voorstel/live", data=FORM,
                                                   headers={"x-csrf-token": csrf})}
        for name, call in pages.items():
            walls = timed(call, n)
            figures[f"{name}_p50_ms"] = round(run.pct(walls, 0.5), 2)
            figures[f"{name}_p99_ms"] = round(run.pct(walls, 0.99), 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3,000 besluiten, 100 verzoeken")
    parser.add_argument("--json", action="store_true", help="alleen de cijfers als JSON")
    args = parser.parse_args()
    size = SIZES["quick" if args.quick else "full"]
    import webserver
    from maatwerk.engine.rules.catalog import Catalog, bundled_folder
    with tempfile.TemporaryDirectory(prefix="maatwerk-bench-pages-") as folder:
        db = str(Path(folder) / "log.db")
        run.fill_log(db, Catalog.load(bundled_folder(), strict=False), size["log"])
        server = webserver.start(db, Path(folder))
        try:
            figures = {"besluiten": size["log"], **measure(server, size["requests"])}
        finally:
            server.stop()
    figures["machine"] = run.machine()
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:<22} {value}")


if __name__ == "__main__":
    main()
