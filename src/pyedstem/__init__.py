"""pyedstem: a typed Python client for the Ed Stem API.

>>> from pyedstem import EdStemClient
>>> with EdStemClient.from_env() as client:  # doctest: +SKIP
...     for course in client.courses.list_active():
...         print(course.code)
"""

from ._version import __version__
from .client import AsyncEdStemClient, EdStemClient
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    EdStemError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    ValidationError,
    WriteOutcomeUnknownError,
)
from .urls import EdUrl, parse_ed_url

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncEdStemClient",
    "AuthenticationError",
    "ConfigurationError",
    "EdStemClient",
    "EdStemError",
    "EdUrl",
    "InvalidArgumentError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "ServerError",
    "ValidationError",
    "WriteOutcomeUnknownError",
    "__version__",
    "parse_ed_url",
]
