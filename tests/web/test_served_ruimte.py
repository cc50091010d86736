"""`POST /api/v1/ruimte`: the JSON of `maatwerk ruimte --json` over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from webserver import add_person, make_token

ROOT = Path(__file__).resolve().parents[2]


def test_api_ruimte_gives_the_cli_json(shared_server):
    from maatwerk.engine.rules.load import parse_file
    add_person(shared_server.db, "r.ruimte")
    path = ROOT / "examples" / "situaties" / "utrecht-echtpaar.yaml"
    data, _ = parse_file(path)
    with shared_server.client(make_token(shared_server.db, "r.ruimte")) as api:
        r = api.post("/api/v1/ruimte", json=data)
        assert r.status_code == 200, r.text
        cli = subprocess.run([sys.executable, "-c", "from maatwerk.cli.main import main; main()",
                              "ruimte", str(path), "--json"], capture_output=True, text=True,
                             timeout=60)
        assert r.json() == json.loads(cli.stdout)
        bad = api.post("/api/v1/ruimte", json={"gemeente": "gm0344"})
        assert bad.status_code == 422 and "client" in bad.text
        assert api.get("/api/v1/ruimte").status_code == 405
