"""Where ``edstem auth login`` keeps the token: the OS keyring, or a private file.

The config file ``credentials.json`` always records the API base URL and the
region. The token goes to the OS keyring when one is available. Otherwise
(headless machines, CI) it goes into the same file, which is created with
mode 0600 inside a folder with mode 0700.

Environment variables:
    EDSTEM_CONFIG_DIR: The folder of ``credentials.json``. The default is the
        platform's user config folder for ``pyedstem``.
    EDSTEM_TOKEN_STORE: ``file`` to skip the keyring, ``keyring`` to require it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import EXIT_USAGE, CliError

KEYRING_SERVICE = "pyedstem"
CONFIG_FILE = "credentials.json"
STORES = ("auto", "keyring", "file")


@dataclass(frozen=True)
class StoredLogin:
    """The login that ``auth login`` saved.

    Attributes:
        base_url: The API base URL the token works with.
        region: ``au``, ``us`` or ``eu``, or None for another host.
        store: ``keyring`` or ``file``.
        token: The token, or None when the keyring could not return it.
        user_name: The name of the account, shown by ``auth status``.
    """

    base_url: str
    region: str | None
    store: str
    token: str | None
    user_name: str | None


def config_dir() -> Path:
    """Return the folder of the credentials file."""
    override = os.environ.get("EDSTEM_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("pyedstem", appauthor=False))


def config_path() -> Path:
    """Return the path of the credentials file."""
    return config_dir() / CONFIG_FILE


def _preferred_store(requested: str | None) -> str:
    value = requested or os.environ.get("EDSTEM_TOKEN_STORE", "auto")
    value = value.strip().lower() or "auto"
    if value not in STORES:
        raise CliError(
            f"Invalid token store {value!r} (from --store or EDSTEM_TOKEN_STORE). "
            f"Use one of: {', '.join(STORES)}.",
            EXIT_USAGE,
        )
    return value


def keyring_available() -> bool:
    """Check whether an OS keyring backend is present (not the fail backend)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:
        return False
    if isinstance(backend, fail.Keyring):
        return False
    priority = getattr(backend, "priority", 1)
    return isinstance(priority, int | float) and priority > 0


def _keyring_account(base_url: str) -> str:
    return f"api-token:{base_url}"


def _write_private(path: Path, data: dict[str, Any]) -> None:
    """Write JSON that only the user can read, replacing the file atomically."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".credentials-", dir=path.parent)
    try:
        os.chmod(temporary, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read_config() -> dict[str, Any] | None:
    path = config_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise CliError(
            f"Cannot read {str(path)!r}: {exc}. Delete it and run "
            "'edstem auth login' again."
        ) from exc
    return data if isinstance(data, dict) else None


def save_login(
    token: str,
    *,
    base_url: str,
    region: str | None,
    user_name: str | None,
    store: str | None = None,
) -> str:
    """Store a checked token and return where it went (``keyring`` or ``file``).

    Args:
        token: The API token.
        base_url: The API base URL the token was checked against.
        region: The region of `base_url`, or None for another host.
        user_name: The account's name, for ``auth status``.
        store: ``auto``, ``keyring`` or ``file``. None reads
            ``EDSTEM_TOKEN_STORE``, which defaults to ``auto``.

    Raises:
        CliError: The keyring is required but none works.
    """
    preferred = _preferred_store(store)
    data: dict[str, Any] = {
        "base_url": base_url,
        "region": region,
        "user_name": user_name,
    }
    where = "file"
    if preferred != "file" and keyring_available():
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(KEYRING_SERVICE, _keyring_account(base_url), token)
            where = "keyring"
        except KeyringError as exc:
            if preferred == "keyring":
                raise CliError(f"The OS keyring failed: {exc}.") from exc
    elif preferred == "keyring":
        raise CliError(
            "The keyring store was requested, but no OS keyring is available. "
            "Use --store file to keep the token in a private file instead."
        )
    data["store"] = where
    if where == "file":
        data["token"] = token
    _write_private(config_path(), data)
    return where


def load_login() -> StoredLogin | None:
    """Return the saved login, or None when there is none."""
    data = _read_config()
    if not data or not isinstance(data.get("base_url"), str):
        return None
    store = str(data.get("store", "file"))
    token: str | None = None
    if store == "keyring":
        token = _keyring_token(data["base_url"])
    elif isinstance(data.get("token"), str):
        token = data["token"]
    region = data.get("region")
    user_name = data.get("user_name")
    return StoredLogin(
        base_url=data["base_url"],
        region=region if isinstance(region, str) else None,
        store=store,
        token=token,
        user_name=user_name if isinstance(user_name, str) else None,
    )


def _keyring_token(base_url: str) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, _keyring_account(base_url))
    except KeyringError:
        return None


def delete_login() -> str | None:
    """Remove the saved token and config, and return where the token was stored."""
    data = _read_config()
    if data is None:
        return None
    store = str(data.get("store", "file"))
    if store == "keyring" and isinstance(data.get("base_url"), str):
        try:
            import keyring
            from keyring.errors import KeyringError, PasswordDeleteError

            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(
                    KEYRING_SERVICE, _keyring_account(data["base_url"])
                )
        except (ImportError, KeyringError) as exc:
            raise CliError(
                f"Cannot remove the token from the OS keyring: {exc}. Remove the "
                f"entry for service {KEYRING_SERVICE!r} by hand."
            ) from exc
    config_path().unlink(missing_ok=True)
    return store
