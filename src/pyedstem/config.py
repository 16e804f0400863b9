"""Client settings: explicit arguments, ``EDSTEM_*`` variables and a local ``.env``.

Precedence is the usual one: an explicit argument wins over an environment
variable, which wins over a line in ``.env``, which wins over the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import SecretStr, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

from ._constants import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT_SECONDS,
    ENV_PREFIX,
    REGION_API_BASE_URLS,
    REGION_STATIC_BASE_URLS,
)
from .errors import ConfigurationError

__all__ = ["EdStemSettings", "region_for_base_url", "resolve_base_url"]


class EdStemSettings(BaseSettings):
    """Settings read from ``EDSTEM_*`` environment variables and ``.env``.

    Attributes:
        api_token: ``EDSTEM_API_TOKEN``; required by ``EdStemClient.from_env()``.
        base_url: ``EDSTEM_BASE_URL``; the API base, such as
            ``https://us.edstem.org/api``.
        region: ``EDSTEM_REGION``; ``au``, ``us`` or ``eu``, used when no base
            URL is set.
        timeout_seconds: ``EDSTEM_TIMEOUT_SECONDS``; per-request timeout.
        max_retries: ``EDSTEM_MAX_RETRIES``; retries for reads, 0 to disable.
        max_concurrency: ``EDSTEM_MAX_CONCURRENCY``; requests in flight at once.
        max_requests_per_second: ``EDSTEM_MAX_REQUESTS_PER_SECOND``; unset means
            no client-side rate limit.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    api_token: SecretStr | None = None
    base_url: str | None = None
    region: str | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    max_retries: int = DEFAULT_MAX_RETRIES
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY
    max_requests_per_second: float | None = None

    def require_token(self) -> str:
        """Return the token, or raise a validation error that names the variable.

        Returns:
            The token without surrounding white space.

        Raises:
            pydantic.ValidationError: ``EDSTEM_API_TOKEN`` is unset or blank.
        """
        if self.api_token is None or not self.api_token.get_secret_value().strip():
            detail = InitErrorDetails(
                type=PydanticCustomError(
                    "missing_api_token",
                    "EDSTEM_API_TOKEN is not set. Create a token on Ed's "
                    "Settings > API Tokens page and set EDSTEM_API_TOKEN in the "
                    "environment or in a .env file.",
                ),
                loc=(f"{ENV_PREFIX}API_TOKEN",),
                input=None,
            )
            raise ValidationError.from_exception_data(type(self).__name__, [detail])
        return self.api_token.get_secret_value().strip()


def resolve_base_url(base_url: str | None, region: str | None) -> str:
    """Choose the API base URL from an explicit base URL and a region.

    Args:
        base_url: An explicit API base URL, or None.
        region: ``au``, ``us`` or ``eu`` in any case, or None.

    Returns:
        The API base URL without a trailing slash, or the default region's
        base URL when both arguments are None.

    Raises:
        ConfigurationError: The region is unknown, the base URL is not an
            http(s) URL, or the two name different hosts.
    """
    region_url = None
    if region is not None:
        key = region.strip().lower()
        if key not in REGION_API_BASE_URLS:
            known = ", ".join(sorted(REGION_API_BASE_URLS))
            raise ConfigurationError(
                f"Unknown Ed region {region!r}. Use one of: {known}, "
                "or pass base_url for another host."
            )
        region_url = REGION_API_BASE_URLS[key]
    if base_url is None or (region_url and base_url.rstrip("/") == DEFAULT_BASE_URL):
        return region_url or DEFAULT_BASE_URL
    base_url = base_url.rstrip("/")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(
            f"Invalid base URL {base_url!r}: expected an http(s) URL such as "
            f"{DEFAULT_BASE_URL!r}."
        )
    if region_url and region_url != base_url:
        raise ConfigurationError(
            f"base_url {base_url!r} and region {region!r} disagree; "
            "pass only one of them."
        )
    return base_url


def region_for_base_url(base_url: str) -> str | None:
    """Return the region whose API base is `base_url`, or None for other hosts.

    Args:
        base_url: An API base URL, with or without a trailing slash.

    Returns:
        ``au``, ``us`` or ``eu``, or None when the URL is no region's base.
    """
    for region, url in REGION_API_BASE_URLS.items():
        if base_url.rstrip("/") == url:
            return region
    return None


@dataclass(frozen=True)
class Endpoints:
    """The resolved hosts of one client: the API base and the static-file base."""

    base_url: str
    static_base_url: str
    region: str | None

    @classmethod
    def resolve(
        cls,
        base_url: str | None,
        region: str | None,
        static_base_url: str | None = None,
    ) -> Endpoints:
        """Resolve the API and static-file hosts of a client.

        Args:
            base_url: An explicit API base URL, or None.
            region: ``au``, ``us`` or ``eu``, or None.
            static_base_url: An explicit base for uploaded files, or None to
                derive it from the region or the API host.

        Returns:
            The resolved hosts.

        Raises:
            ConfigurationError: The region is unknown or the URL is invalid.
        """
        api = resolve_base_url(base_url, region)
        known_region = region_for_base_url(api)
        if static_base_url is None:
            if known_region is not None:
                static_base_url = REGION_STATIC_BASE_URLS[known_region]
            else:
                # A non-Ed host, such as the sandbox, serves files from its origin.
                parts = urlsplit(api)
                static_base_url = f"{parts.scheme}://{parts.netloc}"
        return cls(api, static_base_url.rstrip("/"), known_region)
