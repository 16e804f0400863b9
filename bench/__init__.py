"""Benchmarks: each module exposes ``run() -> dict[str, object]``."""
