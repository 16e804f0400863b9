"""Run every benchmark module and print its figures.

Usage: ``python -m bench [NAME ...]`` where NAME is a module such as
``bench_client``; with no names, every ``bench_*`` module runs.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path


def main(names: list[str]) -> int:
    """Run the named benchmark modules, or all of them, and print JSON figures."""
    folder = Path(__file__).parent
    available = sorted(
        m.name
        for m in pkgutil.iter_modules([str(folder)])
        if m.name.startswith("bench_")
    )
    unknown = sorted(set(names) - set(available))
    if unknown:
        print(
            f"Unknown benchmark(s): {', '.join(unknown)}; "
            f"available: {', '.join(available)}",
            file=sys.stderr,
        )
        return 2
    for name in names or available:
        module = importlib.import_module(f"bench.{name}")
        figures = module.run()
        print(f"## {name}")
        print(json.dumps(figures, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
