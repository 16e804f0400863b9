"""The state of one ``edstem`` invocation: global options, token and client.

The token comes from, in order: ``--token``, ``EDSTEM_API_TOKEN`` in the
environment, ``EDSTEM_API_TOKEN`` in a ``.env`` file of the current folder,
and the login saved by ``edstem auth login``. The API host comes from
``--base-url``/``--region``, then ``EDSTEM_BASE_URL``/``EDSTEM_REGION``
(environment or ``.env``), then the saved login, then Ed's default host.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import typer

from ..client import EdStemClient
from ..config import EdStemSettings
from .credentials import StoredLogin, load_login
from .errors import EXIT_AUTH, CliError


@dataclass(frozen=True)
class TokenSource:
    """A token and where it came from, for ``auth status``, which masks it."""

    token: str
    origin: str


@dataclass
class Session:
    """Global options and the lazily built client of one invocation."""

    token: str | None = None
    base_url: str | None = None
    region: str | None = None
    debug: bool = False
    _settings: EdStemSettings | None = None
    _login: StoredLogin | None = None
    _login_loaded: bool = False
    _client: EdStemClient | None = field(default=None, repr=False)

    def settings(self) -> EdStemSettings:
        """Return the ``EDSTEM_*`` settings from the environment and ``.env``."""
        if self._settings is None:
            self._settings = EdStemSettings()
        return self._settings

    def login(self) -> StoredLogin | None:
        """Return the login saved by ``edstem auth login``, if any."""
        if not self._login_loaded:
            self._login = load_login()
            self._login_loaded = True
        return self._login

    def token_source(self) -> TokenSource | None:
        """Return the token to use and its origin, or None when there is none."""
        if self.token:
            return TokenSource(self.token.strip(), "--token option")
        if os.environ.get("EDSTEM_API_TOKEN", "").strip():
            return TokenSource(
                os.environ["EDSTEM_API_TOKEN"].strip(), "EDSTEM_API_TOKEN variable"
            )
        secret = self.settings().api_token
        if secret is not None and secret.get_secret_value().strip():
            return TokenSource(secret.get_secret_value().strip(), ".env file")
        login = self.login()
        if login is not None and login.token:
            where = "OS keyring" if login.store == "keyring" else "config file"
            return TokenSource(login.token, where)
        return None

    def host_options(self, *, saved: bool = True) -> dict[str, str]:
        """Return the ``base_url`` and ``region`` arguments for a client.

        Args:
            saved: Fall back to the saved login's host. ``auth login`` turns
                this off, because it looks for the host of a new token.
        """
        if self.base_url or self.region:
            chosen = {"base_url": self.base_url, "region": self.region}
        else:
            settings = self.settings()
            chosen = {"base_url": settings.base_url, "region": settings.region}
            login = self.login() if saved else None
            if not any(chosen.values()) and login is not None:
                chosen = {"base_url": login.base_url, "region": None}
        return {key: value for key, value in chosen.items() if value}

    def client_options(self) -> dict[str, Any]:
        """Return the timeout, retry and concurrency settings for a client."""
        settings = self.settings()
        return {
            "timeout_seconds": settings.timeout_seconds,
            "max_retries": settings.max_retries,
            "max_concurrency": settings.max_concurrency,
            "max_requests_per_second": settings.max_requests_per_second,
        }

    def require_token(self) -> str:
        """Return the token, or raise an error that explains how to provide one."""
        source = self.token_source()
        if source is None:
            raise CliError(
                "No API token. Run 'edstem auth login', set EDSTEM_API_TOKEN, or "
                "pass --token. Create a token on Ed's Settings > API Tokens page.",
                EXIT_AUTH,
            )
        return source.token

    def client(self, **overrides: Any) -> EdStemClient:
        """Return the invocation's client, built on first use.

        `overrides` (such as ``max_concurrency``) apply only when this call
        builds the client.
        """
        if self._client is None:
            options = {**self.client_options(), **self.host_options(), **overrides}
            self._client = EdStemClient(self.require_token(), **options)
        return self._client

    def close(self) -> None:
        """Close the client if one was built."""
        if self._client is not None:
            self._client.close()
            self._client = None


def session(ctx: typer.Context) -> Session:
    """Return the session stored on the root context."""
    obj = ctx.find_root().obj
    if not isinstance(obj, Session):
        raise RuntimeError("The edstem command was started without its session.")
    return obj
