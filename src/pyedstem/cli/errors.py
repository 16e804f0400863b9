"""Exit codes and the one-line messages the CLI prints for errors."""

from __future__ import annotations

import sqlite3

import pydantic

from ..archive import ArchiveError
from ..errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    ConfigurationError,
    EdStemError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A failure the CLI reports as one line on stderr, with an exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def one_line(text: str) -> str:
    """Collapse a message onto one line."""
    return " ".join(text.split())


def describe(exc: BaseException) -> tuple[str, int]:
    """Return the message and exit code for an exception that ended a command."""
    if isinstance(exc, CliError):
        return one_line(str(exc)), exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return "Interrupted.", EXIT_INTERRUPTED
    if isinstance(exc, EdStemError):
        return _describe_library_error(exc)
    if isinstance(exc, pydantic.ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        return one_line(f"Invalid setting: {problems}"), EXIT_USAGE
    if isinstance(exc, ArchiveError):
        return one_line(str(exc)), EXIT_ERROR
    if isinstance(exc, sqlite3.Error):
        return one_line(f"SQLite failed: {exc}"), EXIT_ERROR
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return one_line(f"{exc.strerror or exc}{where}"), EXIT_ERROR
    return (
        one_line(
            f"Unexpected error {type(exc).__name__}: {exc}. "
            "Run again with --debug to see the traceback."
        ),
        EXIT_ERROR,
    )


def _describe_library_error(exc: EdStemError) -> tuple[str, int]:
    text = one_line(str(exc))
    if isinstance(exc, AuthenticationError):
        return (
            f"Ed rejected the API token: {text}. Run 'edstem auth login' with a "
            "token from Ed's Settings > API Tokens page, or check --region.",
            EXIT_AUTH,
        )
    if isinstance(exc, PermissionDeniedError):
        return f"Permission denied: {text}", EXIT_AUTH
    if isinstance(exc, NotFoundError):
        return f"Not found: {text}", EXIT_NOT_FOUND
    if isinstance(exc, InvalidArgumentError | ConfigurationError):
        return text, EXIT_USAGE
    if isinstance(exc, APIConnectionError):
        return f"{text}. Check the network connection and the API base URL.", EXIT_ERROR
    if isinstance(exc, APIStatusError):
        return text, EXIT_ERROR
    return text, EXIT_ERROR
