"""The exception the archive raises for problems with the database file."""

from __future__ import annotations


class ArchiveError(Exception):
    """The archive database cannot be used: wrong course, newer schema, bad path."""
