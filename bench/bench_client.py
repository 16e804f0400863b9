"""Client benchmarks: per-request overhead, async concurrency, memory.

Run with ``python -m bench.bench_client``. Each figure is a ratio against a
baseline measured in the same run; absolute times vary between machines.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from typing import Any

import httpx

from bench._sandbox import ServedSandbox, machine, served_sandbox
from pyedstem import AsyncEdStemClient, EdStemClient

OVERHEAD_REQUESTS = 2000
DETAIL_THREADS = 1000
DETAIL_LATENCY_SECONDS = 0.02
ASYNC_CONCURRENCY = 8
MEMORY_THREADS = 100_000


def measure_overhead(sandbox: ServedSandbox) -> dict[str, Any]:
    """Time the same GET and JSON decode through raw httpx and through pyedstem."""
    with EdStemClient(sandbox.token, base_url=sandbox.base_url) as client:
        course_id = sandbox.course_id
        path = f"/courses/{course_id}/labs"
        headers = {
            "Authorization": f"Bearer {sandbox.token}",
            "Accept": "application/json",
        }
        with httpx.Client() as raw:
            url = sandbox.base_url + path

            def raw_call() -> None:
                raw.get(url, headers=headers).json()

            def library_call() -> None:
                client.get_json(path)

            def typed_call() -> None:
                client.courses.get(course_id)

            timings: dict[str, list[float]] = {"httpx": [], "pyedstem": [], "typed": []}
            calls = {"httpx": raw_call, "pyedstem": library_call, "typed": typed_call}
            for _ in range(5):  # interleaved rounds even out drift in the server
                for name, call in calls.items():
                    for _ in range(50):
                        call()
                    started = time.perf_counter()
                    for _ in range(OVERHEAD_REQUESTS // 5):
                        call()
                    timings[name].append(time.perf_counter() - started)
    per_request = {
        k: statistics.median(v) / (OVERHEAD_REQUESTS // 5) for k, v in timings.items()
    }
    return {
        "requests_per_variant": OVERHEAD_REQUESTS,
        "httpx_us_per_request": round(per_request["httpx"] * 1e6, 1),
        "pyedstem_get_json_us_per_request": round(per_request["pyedstem"] * 1e6, 1),
        "pyedstem_typed_us_per_request": round(per_request["typed"] * 1e6, 1),
        "overhead_ratio_get_json": round(
            per_request["pyedstem"] / per_request["httpx"], 3
        ),
        "overhead_ratio_typed": round(per_request["typed"] / per_request["httpx"], 3),
    }


def measure_concurrency(sandbox: ServedSandbox) -> dict[str, Any]:
    """Fetch thread details sequentially (sync) and 8 at a time (async)."""
    with EdStemClient(sandbox.token, base_url=sandbox.base_url) as client:
        course_id = sandbox.course_id
        ids = [t.id for t in client.threads.iter_all(course_id, limit=100)][
            :DETAIL_THREADS
        ]
        started = time.perf_counter()
        for thread_id in ids:
            client.threads.get(thread_id)
        sequential = time.perf_counter() - started

    async def fetch_all() -> float:
        async with AsyncEdStemClient(
            sandbox.token, base_url=sandbox.base_url, max_concurrency=ASYNC_CONCURRENCY
        ) as aclient:
            begun = time.perf_counter()
            details = await aclient.threads.list_details(ids)
            assert [d.id for d in details] == ids
            return time.perf_counter() - begun

    concurrent = asyncio.run(fetch_all())
    return {
        "threads": len(ids),
        "added_latency_s": DETAIL_LATENCY_SECONDS,
        "sync_sequential_s": round(sequential, 2),
        "async_8_concurrent_s": round(concurrent, 2),
        "speedup": round(sequential / concurrent, 2),
    }


MEMORY_SCRIPT = """
import json, resource, sys


def rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


from pyedstem import EdStemClient
with EdStemClient(sys.argv[2], base_url=sys.argv[1]) as client:
    course_id = int(sys.argv[3])
    client.threads.list(course_id, limit=1)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_before = rss_kib()
    count = sum(1 for _ in client.threads.iter_all(course_id, limit=100))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_after = rss_kib()
figures = {"threads": count, "peak_rss_before_kib": before}
figures["peak_rss_after_kib"] = after
figures["rss_before_kib"] = rss_before
figures["rss_after_kib"] = rss_after
print(json.dumps(figures))
"""


def measure_memory(sandbox: ServedSandbox) -> dict[str, Any]:
    """Iterate over every thread of a large course in a fresh process."""
    output = subprocess.run(
        [
            sys.executable,
            "-c",
            MEMORY_SCRIPT,
            sandbox.base_url,
            sandbox.token,
            str(sandbox.course_id),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures: dict[str, Any] = json.loads(output)
    growth = figures["peak_rss_after_kib"] - figures["peak_rss_before_kib"]
    figures["peak_rss_growth_mb"] = round(growth / 1024, 1)
    return figures


def run() -> dict[str, object]:
    """Run the three client benchmarks, each against its own sandbox server."""
    results: dict[str, object] = {"machine": machine()}
    with served_sandbox("--threads", "300") as sandbox:
        results["overhead"] = measure_overhead(sandbox)
    with served_sandbox(
        "--threads", str(DETAIL_THREADS), "--latency", str(DETAIL_LATENCY_SECONDS)
    ) as sandbox:
        results["concurrency"] = measure_concurrency(sandbox)
    with served_sandbox("--threads", str(MEMORY_THREADS)) as sandbox:
        results["memory"] = measure_memory(sandbox)
    return results


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
