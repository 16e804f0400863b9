"""Archive benchmark: a full run over 2,000 threads, then incremental runs.

Run with ``python -m bench.bench_archive``. The sandbox Ed runs in this
process and serves real HTTP on 127.0.0.1 with 20 ms added to every request.
The full run archives the demo course into a new SQLite file. Each
incremental round then posts a comment to 1% of the archived threads through
the API and runs the archive again. The figure that matters is the ratio of
the median incremental run to the full run (target: at most 10%).

The server shares this interpreter with the archive, so both times include
the sandbox's own work; a remote Ed would leave more of the machine to the
client.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bench._sandbox import machine
from pyedstem import EdStemClient
from pyedstem.archive import ArchiveReport, archive_course
from pyedstem.testing import Sandbox

THREADS = 2000
LATENCY_SECONDS = 0.02
CHANGED_FRACTION = 0.01
INCREMENTAL_ROUNDS = 3
TARGET_RATIO = 0.10


def _timed(
    client: EdStemClient, course_id: int, db: Path
) -> tuple[float, ArchiveReport]:
    started = time.perf_counter()
    report = archive_course(client, course_id, db)
    return time.perf_counter() - started, report


def _change_threads(client: EdStemClient, db: Path, round_number: int) -> list[int]:
    """Post a comment to 1% of the archived threads, spread across the course."""
    connection = sqlite3.connect(db)
    ids = [row[0] for row in connection.execute("SELECT id FROM threads ORDER BY id")]
    connection.close()
    count = max(1, round(len(ids) * CHANGED_FRACTION))
    step = len(ids) // count
    chosen = ids[round_number % step :: step][:count]
    for thread_id in chosen:
        client.threads.post_comment(
            thread_id, markdown=f"Benchmark change, round {round_number}."
        )
    return chosen


def run() -> dict[str, object]:
    """Run the full and incremental archives and return their figures."""
    sandbox = Sandbox(seed=1, threads_per_course=THREADS, latency=LATENCY_SECONDS)
    course_id = sandbox.demo_course_id
    with (
        sandbox.serve() as server,
        tempfile.TemporaryDirectory() as folder,
        EdStemClient(sandbox.tokens["staff"], base_url=server.base_url) as client,
    ):
        db = Path(folder) / "bench.db"
        sandbox.requests.clear()
        full_seconds, full = _timed(client, course_id, db)
        full_requests = len(sandbox.requests)

        rounds: list[dict[str, object]] = []
        for round_number in range(INCREMENTAL_ROUNDS):
            changed = _change_threads(client, db, round_number)
            sandbox.requests.clear()
            seconds, report = _timed(client, course_id, db)
            rounds.append(
                {
                    "seconds": round(seconds, 3),
                    "threads_changed": len(changed),
                    "threads_fetched": report.threads_fetched,
                    "requests": len(sandbox.requests),
                }
            )
        db_bytes = db.stat().st_size

    incremental = statistics.median(float(str(r["seconds"])) for r in rounds)
    return {
        "command": "python -m bench.bench_archive",
        "threads_listed": full.threads_listed,
        "latency_seconds": LATENCY_SECONDS,
        "full_seconds": round(full_seconds, 3),
        "full_threads_fetched": full.threads_fetched,
        "full_lessons_fetched": full.lessons_fetched,
        "full_requests": full_requests,
        "incremental_rounds": rounds,
        "incremental_median_seconds": round(incremental, 3),
        "ratio": round(incremental / full_seconds, 4),
        "target_ratio": TARGET_RATIO,
        "database_bytes": db_bytes,
        "machine": machine(),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
