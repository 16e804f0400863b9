"""A keyring backend for tests: a JSON file named by EDSTEM_TEST_KEYRING_FILE.

CI machines have no OS keyring, so the CLI tests select this backend with
``PYTHON_KEYRING_BACKEND=tests.cli.file_keyring.JsonFileKeyring`` to run the
keyring code path in a subprocess.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class JsonFileKeyring(KeyringBackend):
    """Stores passwords in a JSON file; for tests only."""

    priority = 1  # type: ignore[assignment]

    @staticmethod
    def _path() -> Path:
        return Path(os.environ["EDSTEM_TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, str]:
        path = self._path()
        if not path.exists():
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, str]) -> None:
        self._path().write_text(json.dumps(data), encoding="utf-8")

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}/{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(f"No password for {service}/{username}")
        self._save(data)
