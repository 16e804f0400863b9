"""Start the sandbox Ed server in a separate process for a benchmark.

A separate process keeps the server's work off the measured process's
interpreter, so that the client's overhead is not mixed with the server's.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class ServedSandbox:
    """Connection details printed by ``python -m pyedstem.testing serve``."""

    base_url: str
    token: str
    course_id: int
    values: dict[str, str]


@contextmanager
def served_sandbox(*arguments: str) -> Iterator[ServedSandbox]:
    """Run ``python -m pyedstem.testing serve ARGUMENTS`` until the block ends."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-u",
            "-m",
            "pyedstem.testing",
            "serve",
            "--port",
            "0",
            *arguments,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        values: dict[str, str] = {}
        assert process.stdout is not None
        for line in process.stdout:
            key, _, value = line.strip().partition("=")
            if key:
                values[key] = value
            if {"EDSTEM_BASE_URL", "EDSTEM_API_TOKEN", "EDSTEM_COURSE_ID"} <= set(
                values
            ):
                break
        if "EDSTEM_BASE_URL" not in values:
            raise RuntimeError(f"the sandbox server did not start: {values}")
        yield ServedSandbox(
            values["EDSTEM_BASE_URL"],
            values["EDSTEM_API_TOKEN"],
            int(values["EDSTEM_COURSE_ID"]),
            values,
        )
    finally:
        process.terminate()
        process.wait(timeout=30)


def machine() -> dict[str, object]:
    """Describe the machine a benchmark ran on."""
    import os
    import platform

    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }
