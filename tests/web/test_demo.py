"""The README's third command: `maatwerk serve --demo` starts a working server with demo users."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import httpx
from webserver import HOST, free_port


def test_serve_demo_prints_users_once_and_they_can_log_in(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", "from maatwerk.cli.main import main; main()", "serve", "--demo",
         "--port", str(port), "--geen-toegangslog"], stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("maatwerk serveert"):
                break
        users = {m[1]: (m[2], m[3]) for m in (re.match(r"\s+(\S+)\s+(\S+)\s+(\S+)$", line)
                                                for line in lines) if m}
        assert {rol for rol, _ in users.values()} == {"consulent", "teamleider",
                                                       "beleidsmedewerker", "auditor"}
        url = f"http://{HOST}:{port}"
        for _ in range(300):
            try:
                if httpx.get(f"{url}/api/v1", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        naam, (rol, wachtwoord) = next((n, u) for n, u in users.items() if u[0] == "consulent")
        with httpx.Client(base_url=url, follow_redirects=False) as web:
            csrf = re.search(r'name="csrf" value="([^"]+)"', web.get("/inloggen").text)[1]
            r = web.post("/inloggen", data={"gebruiker": naam, "wachtwoord": wachtwoord,
                                            "csrf": csrf})
            assert r.status_code == 303, r.text
            assert web.get("/api/v1/rulesets").status_code == 200
    finally:
        process.terminate()
        process.wait(20)
