"""A course archive in SQLite: threads, lessons and resources, kept current.

>>> from pathlib import Path
>>> from pyedstem import EdStemClient
>>> from pyedstem.archive import archive_course
>>> with EdStemClient.from_env() as client:  # doctest: +SKIP
...     report = archive_course(client, 12345, Path("course.db"))

``docs/archive.md`` describes the tables, the incremental runs and the exports.
"""

from __future__ import annotations

from .errors import ArchiveError
from .export import export_jsonl, export_markdown
from .rows import Privacy
from .sync import ArchiveOptions, ArchiveReport, ProgressReporter, archive_course

__all__ = [
    "ArchiveError",
    "ArchiveOptions",
    "ArchiveReport",
    "Privacy",
    "ProgressReporter",
    "archive_course",
    "export_jsonl",
    "export_markdown",
]
