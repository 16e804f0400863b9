"""The route table in docs/contract.md lists exactly the suite's checks."""

from __future__ import annotations

import re
from pathlib import Path

from pyedstem.contract import route_list

DOC = Path(__file__).resolve().parents[2] / "docs" / "contract.md"
ROW = re.compile(r"^\| ([HML]) \| `([A-Z]+) ([^`]+)` \| ([^|]+) \|")


def test_route_table_matches_checks() -> None:
    rows = [
        (match[1], match[2], match[3], match[4].strip())
        for line in DOC.read_text(encoding="utf-8").splitlines()
        if (match := ROW.match(line))
    ]

    expected = [
        (info.evidence.value, info.method, info.route, info.title)
        for info in route_list()
    ]
    assert rows == expected
