"""API figures: checks per second over HTTP and their latency, next to the in-process check.

    python bench/api.py [--quick] [--json] [--workers 2] [--clients 50]

Starts `maatwerk serve` (uvicorn, N worker processes, keep-alive) on a free loopback
port with a fresh SQLite log in a temporary folder, and drives it with a bounded
asyncio load generator of its own (raw HTTP/1.1 on keep-alive connections: a client
that costs far less CPU than the server, since both share the machine's cores):

- `api_check_per_s`, `api_check_p50_ms`, `api_check_p99_ms`: POST /api/v1/check with
  the example voorstel `utrecht-hbh-boven-norm` at `--clients` concurrent clients;
- `inprocess_check_p50_ms`, `inprocess_check_per_s`: the same check in this process;
- `api_record_per_s`: POST /api/v1/besluiten (one besluit, one transaction each) on SQLite.

Every loop is bounded by a request count and a time limit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "voorstellen" / "utrecht-hbh-boven-norm.yaml"
HOST = "127.0.0.1"
TIME_LIMIT = 60.0


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "onbekend"


# --- the load generator ----------------------------------------------------------------------
def request_bytes(path: str, body: bytes, token: str, port: int) -> bytes:
    head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


async def one_client(port: int, payloads: list[bytes], counter: list[int], total: int,
                     latencies: list[float], statuses: dict, deadline: float) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while counter[0] < total and time.perf_counter() < deadline:
            i = counter[0]
            counter[0] += 1
            start = time.perf_counter()
            writer.write(payloads[i % len(payloads)])
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


async def load(port: int, payloads: list[bytes], total: int, clients: int) -> dict:
    counter, latencies, statuses = [0], [], {}
    deadline = time.perf_counter() + TIME_LIMIT
    start = time.perf_counter()
    await asyncio.gather(*(one_client(port, payloads, counter, total, latencies, statuses,
                                      deadline) for _ in range(clients)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {"per_s": len(latencies) / elapsed, "p50_ms": 1000 * latencies[len(latencies) // 2],
            "p99_ms": 1000 * latencies[int(len(latencies) * 0.99)], "n": len(latencies),
            "statuses": statuses}


# --- set-up ----------------------------------------------------------------------------------
def setup(folder: Path) -> tuple[str, str]:
    """A log with a consulent and a token for them: (db, token)."""
    from maatwerk.engine.log import secret
    from maatwerk.engine.log.store.open import opened
    from maatwerk.web.demo import add_people
    db = str(folder / "bench.db")
    add_people(db, [("b.consulent", ("consulent",))])
    ident, token, hashed = secret.new_token()
    with opened(db) as store:
        store.add_token(ident, hashed, None, "b.consulent", "bench", "2026-01-01T00:00:00Z", None)
    return db, token


def start(db: str, port: int, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-c", "from maatwerk.cli.main import main; main()", "serve", "--db",
           db, "--host", HOST, "--port", str(port), "--workers", str(workers),
           "--geen-toegangslog"]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import httpx
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{port}/api/v1", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("de server startte niet binnen 60 s")


def inprocess(voorstel_data: dict, n: int) -> dict:
    from maatwerk.engine.evaluate.check import check
    from maatwerk.engine.rules.catalog import Catalog, bundled_folder
    from maatwerk.engine.rules.load import voorstel_from_data
    cat = Catalog.load(bundled_folder(), strict=False)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        voorstel = voorstel_from_data(voorstel_data, "voorstel")
        day, eff = cat.prepare(voorstel)
        check(eff, voorstel, day).public()
        times.append(time.perf_counter() - start)
    times.sort()
    return {"per_s": n / sum(times), "p50_ms": 1000 * times[n // 2],
            "p99_ms": 1000 * times[int(n * 0.99)]}


def record_bodies(voorstel_data: dict, n: int) -> list[bytes]:
    out = []
    for i in range(n):
        data = dict(voorstel_data, id=f"BENCH-{i:06d}")
        out.append(json.dumps({"voorstel": data}).encode())
    return out


def run(quick: bool, workers: int, clients: int) -> dict:
    from maatwerk.engine.rules.load import parse_file
    voorstel_data = parse_file(EXAMPLE)[0]
    n_check = 3_000 if quick else 20_000
    n_record = 600 if quick else 3_000
    with tempfile.TemporaryDirectory(prefix="maatwerk-bench-api-") as tmp:
        db, token = setup(Path(tmp))
        port = free_port()
        server = start(db, port, workers)
        try:
            body = json.dumps(voorstel_data).encode()
            check_req = [request_bytes("/api/v1/check", body, token, port)]
            asyncio.run(load(port, check_req, 500, clients))                # warm-up
            api = asyncio.run(load(port, check_req, n_check, clients))
            record_req = [request_bytes("/api/v1/besluiten", b, token, port)
                          for b in record_bodies(voorstel_data, n_record)]
            rec = asyncio.run(load(port, record_req, n_record, clients))
        finally:
            server.terminate()
            server.wait(30)
    local = inprocess(voorstel_data, 2_000 if quick else 10_000)
    return {
        "api_check_per_s": round(api["per_s"]), "api_check_p50_ms": round(api["p50_ms"], 2),
        "api_check_p99_ms": round(api["p99_ms"], 2), "api_check_n": api["n"],
        "api_check_statuses": api["statuses"],
        "inprocess_check_per_s": round(local["per_s"]),
        "inprocess_check_p50_ms": round(local["p50_ms"], 3),
        "inprocess_check_p99_ms": round(local["p99_ms"], 3),
        "api_record_per_s": round(rec["per_s"]), "api_record_p99_ms": round(rec["p99_ms"], 2),
        "api_record_statuses": rec["statuses"],
        "workers": workers, "clients": clients, "cores": os.cpu_count(), "cpu": cpu(),
        "python": platform.python_version(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests (about 20 s)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    figures = run(args.quick, args.workers, args.clients)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"maatwerk API · {figures['cpu']} · {figures['cores']} cores · Python "
          f"{figures['python']} · {figures['workers']} workers · {figures['clients']} clients")
    for key, value in figures.items():
        if key not in ("cpu", "cores", "python", "workers", "clients"):
            print(f"  {key:<26} {value}")


if __name__ == "__main__":
    main()
