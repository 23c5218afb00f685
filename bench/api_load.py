"""Benchmark: ``GET /api/status`` over HTTP on loopback, served by ``tocsin serve`` (uvicorn) in a subprocess.

Builds a database with published warnings (default 1,000 areas + 20 corridors, as bench/status.py makes
them), starts ``tocsin serve`` on a free port, and drives it from a second process: a raw-asyncio HTTP/1.1
client with keep-alive connections, each sending one request at a time for ``--duration`` seconds over
random points of the warnings' region. Prints requests/s and p50/p99 latency; the baseline beside it is
the same client against a bare asyncio HTTP server answering a fixed body (the client's and loopback's
own ceiling on this machine). Goal (issue 5): >= 2,000 requests/s with p99 <= 50 ms on 2 cores.

    .venv/bin/python bench/api_load.py [--areas 1000] [--duration 10] [--connections 8] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

AT = "2026-03-28T21:30:00Z"


# -- the database --------------------------------------------------------------------------------------


def build_db(path: Path, areas: int, corridors: int) -> float:
    """Create and publish the warnings; returns seconds taken."""
    from status import make_warnings  # bench/status.py

    from tocsin.store import Store
    from tocsin.warnings.store import WarningStore

    start = time.perf_counter()
    with Store(path) as store:
        ws = WarningStore(store)
        for warning in make_warnings(areas, corridors, np.random.default_rng(42)):
            ws.create(warning, "bench")
            ws.publish(warning.id, "bench")
    return time.perf_counter() - start


# -- the server ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_command(db: Path, port: int, workers: int) -> list[str]:
    """``tocsin serve`` through the main CLI when it mounts it, else through tocsin.cli_api directly."""
    args = ["serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    probe = subprocess.run([sys.executable, "-m", "tocsin.cli", "serve", "--help"], capture_output=True)
    module = "tocsin.cli" if probe.returncode == 0 else "tocsin.cli_api"
    return [sys.executable, "-m", module, *args]


def tree_cpu_s(root: int) -> float:
    """CPU seconds (user + system) used so far by process ``root`` and its descendants (Linux /proc)."""
    stats: dict[int, tuple[int, float]] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    wanted, total, frontier = set(), 0.0, [root]
    while frontier:
        pid = frontier.pop()
        if pid in wanted or pid not in stats:
            continue
        wanted.add(pid)
        total += stats[pid][1]
        frontier.extend(p for p, (ppid, _) in stats.items() if ppid == pid)
    return total


def wait_ready(port: int, timeout_s: float = 120.0) -> float:
    start = time.perf_counter()
    request = f"GET /api/status?lat=48&lon=30&at={AT} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    while time.perf_counter() - start < timeout_s:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.sendall(request)
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not answer within {timeout_s} s")


# -- the client (second process) -----------------------------------------------------------------------


async def _connection(port: int, requests: list[bytes], until: float, latencies: list[float],
                      errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    n = len(requests)
    try:
        while True:
            start = time.perf_counter()
            if start >= until:
                return
            writer.write(requests[i % n])
            i += 1
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if not head.startswith(b"HTTP/1.1 200"):
                errors.append(head.split(b"\r\n", 1)[0].decode())
    finally:
        writer.close()


async def _drive(port: int, connections: int, duration: float, path_of: list[str]) -> dict[str, object]:
    requests = [f"GET {p} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode() for p in path_of]
    latencies: list[float] = []
    errors: list[str] = []
    warm_until = time.perf_counter() + 1.0
    await asyncio.gather(*(_connection(port, requests, warm_until, [], errors) for _ in range(connections)))
    errors.clear()
    start = time.perf_counter()
    until = start + duration
    await asyncio.gather(*(_connection(port, requests, until, latencies, errors) for _ in range(connections)))
    elapsed = time.perf_counter() - start
    ms = np.array(latencies) * 1e3
    return {"requests": len(latencies), "seconds": elapsed, "rps": len(latencies) / elapsed,
            "p50_ms": float(np.percentile(ms, 50)), "p99_ms": float(np.percentile(ms, 99)),
            "max_ms": float(ms.max()), "errors": len(errors), "first_error": errors[0] if errors else None}


def client_main(args: argparse.Namespace) -> None:
    from status import BBOX

    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    rng = np.random.default_rng(7)
    lat0, lat1, lon0, lon1 = BBOX
    paths = [f"/api/status?lat={lat:.5f}&lon={lon:.5f}&at={AT}"
             for lat, lon in zip(rng.uniform(lat0, lat1, 2000), rng.uniform(lon0, lon1, 2000), strict=True)]
    if args.path:
        paths = [args.path]
    result = asyncio.run(_drive(args.port, args.connections, args.duration, paths))
    print(json.dumps(result))


def run_client(port: int, connections: int, duration: float, path: str | None = None) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--client", "--port", str(port), "--connections", str(connections),
           "--duration", str(duration)]
    if path:
        cmd += ["--path", path]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# -- the baseline: a bare asyncio server with a fixed answer -------------------------------------------


def baseline_server(port: int) -> None:
    body = b'{"lat":0,"lon":0,"warnings":[],"curfew":null,"nearest_corridor":null}'
    answer = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                writer.write(answer)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def _report(name: str, r: dict[str, object]) -> None:
    print(f"{name}: {r['requests']} requests in {float(r['seconds']):.1f} s = {float(r['rps']):,.0f} req/s; "  # type: ignore[arg-type]
          f"latency p50 {float(r['p50_ms']):.2f} ms, p99 {float(r['p99_ms']):.2f} ms, "  # type: ignore[arg-type]
          f"max {float(r['max_ms']):.1f} ms; non-200: {r['errors']}")  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--areas", type=int, default=1000)
    parser.add_argument("--corridors", type=int, default=20)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--db", type=Path, help="reuse this database (built when missing)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baseline-server", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client_main(args)
        return
    if args.baseline_server:
        baseline_server(args.port)
        return

    workdir = Path(tempfile.mkdtemp(prefix="tocsin-api-load-"))
    db = args.db or workdir / "load.db"
    if not db.exists():
        took = build_db(db, args.areas, args.corridors)
        print(f"database: {args.areas} published warning areas + {args.corridors} corridors in {took:.1f} s ({db})")
    port = free_port()
    cmd = serve_command(db, port, args.workers)
    log = (workdir / "serve.log").open("w")
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ})
    try:
        ready = wait_ready(port)
        print(f"server: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))} "
              f"(ready after {ready:.1f} s)")
        cpu_before = tree_cpu_s(server.pid)
        result = run_client(port, args.connections, args.duration)
        cpu = tree_cpu_s(server.pid) - cpu_before
        _report(f"GET /api/status, {args.connections} keep-alive connections, {args.workers} worker(s)", result)
        per_request = cpu / max(int(result["requests"]), 1) * 1e3  # type: ignore[call-overload]
        print(f"server CPU: {cpu:.1f} s for the run = {per_request:.3f} ms per request, i.e. "
              f"{1000 / per_request:,.0f} req/s per fully available core (the machine is shared: see load below)")
        goal = float(result["rps"]) >= 2000 and float(result["p99_ms"]) <= 50  # type: ignore[arg-type]
        print(f"goal >= 2,000 req/s and p99 <= 50 ms: {'met' if goal else 'NOT met'}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    if not args.no_baseline:
        bport = free_port()
        bare = subprocess.Popen([sys.executable, __file__, "--baseline-server", "--port", str(bport)])
        try:
            time.sleep(1.0)
            base_cpu = tree_cpu_s(bare.pid)
            base = run_client(bport, args.connections, args.duration)
            base_cpu = tree_cpu_s(bare.pid) - base_cpu
            _report("baseline (bare asyncio server, fixed body, same client)", base)
            print(f"baseline server CPU: {base_cpu / max(int(base['requests']), 1) * 1e3:.3f} ms per request")  # type: ignore[call-overload]
            print(f"ratio tocsin/baseline: {float(result['rps']) / float(base['rps']):.2f}")  # type: ignore[arg-type]
        finally:
            bare.terminate()
            bare.wait(timeout=10)
    print(f"machine load average (1, 5, 15 min): {os.getloadavg()}; {os.cpu_count()} CPUs; "
          f"at {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}")


if __name__ == "__main__":
    main()
