"""The API reference has a page for every public module and resource group."""

from __future__ import annotations

import re

import pytest

from pyedstem import EdStemClient

from .harness import DOCS_DIR

PUBLIC_MODULES = (
    "pyedstem",
    "pyedstem.client",
    "pyedstem.config",
    "pyedstem.urls",
    "pyedstem.errors",
    "pyedstem.models",
    "pyedstem.content",
    "pyedstem.stream",
    "pyedstem.testing",
)

_DIRECTIVE = re.compile(r"^::: (?P<path>[\w.]+)\s*$", re.MULTILINE)


def _documented_paths() -> set[str]:
    paths: set[str] = set()
    for page in (DOCS_DIR / "reference").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        paths.update(match["path"] for match in _DIRECTIVE.finditer(text))
    return paths


def _client_groups() -> dict[str, type]:
    client = EdStemClient("placeholder-token", base_url="http://127.0.0.1:9/api")
    try:
        return {
            name: type(value)
            for name, value in vars(client).items()
            if not name.startswith("_")
        }
    finally:
        client.close()


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_module_has_reference(module: str) -> None:
    assert module in _documented_paths()


@pytest.mark.parametrize("group", sorted(_client_groups()))
def test_group_class_has_reference(group: str) -> None:
    cls = _client_groups()[group]
    path = f"{cls.__module__}.{cls.__qualname__}"
    assert path in _documented_paths(), f"client.{group} ({path}) has no page"


@pytest.mark.parametrize("group", sorted(_client_groups()))
def test_async_twin_has_reference(group: str) -> None:
    cls = _client_groups()[group]
    path = f"{cls.__module__}.Async{cls.__qualname__}"
    assert path in _documented_paths(), f"the async twin {path} has no page"
