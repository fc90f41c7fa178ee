"""Load generator of the search bench, run in a process of its own (spawned).

``measure(base_url, requests, clients=8)`` replays the requests from ``clients`` threads
(one HTTP connection each, round-robin over the list) and returns latency percentiles and
throughput. Timing covers the whole HTTP exchange as a client sees it.
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import threading
import time


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def _run(base_url: str, requests: list[dict], clients: int, total: int, warmup: int,
         headers: dict) -> dict:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total + warmup))

    def worker() -> None:
        with httpx.Client(base_url=base_url, headers=headers, timeout=60) as http:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                req = requests[i % len(requests)]
                t0 = time.perf_counter()
                try:
                    resp = http.request(req.get("method", "GET"), req["path"],
                                        params=req.get("params"), json=req.get("json"))
                    ok = resp.status_code == 200
                    if ok:
                        resp.json()
                except Exception as exc:  # noqa: BLE001 - counted as an error
                    ok, resp = False, exc
                dt = (time.perf_counter() - t0) * 1000
                with lock:
                    if i >= warmup:
                        latencies.append(dt) if ok else errors.append(str(getattr(resp, "status_code", resp)))

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    n = len(latencies)
    return {"n": n, "errors": len(errors), "first_error": errors[0] if errors else None,
            "p50_ms": _percentile(latencies, 0.5), "p95_ms": _percentile(latencies, 0.95),
            "mean_ms": statistics.fmean(latencies) if latencies else float("nan"),
            "throughput_rps": (total + warmup) / wall if wall else 0.0}


def _child(queue, *args) -> None:
    try:
        queue.put(_run(*args))
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def measure(base_url: str, requests: list[dict], *, clients: int = 8, total: int = 400,
            warmup: int = 16, headers: dict | None = None) -> dict:
    """Run the load from a separate process; returns its measurements."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(queue, base_url, requests, clients, total, warmup,
                                            headers or {}))
    proc.start()
    result = queue.get(timeout=1800)
    proc.join(timeout=30)
    return result
