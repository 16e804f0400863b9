"""Settings from arguments, EDSTEM_* variables and .env; regions and links."""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest

from pyedstem import AsyncEdStemClient, ConfigurationError, EdStemClient, parse_ed_url
from pyedstem.errors import InvalidArgumentError

ENV_NAMES = [
    "EDSTEM_API_TOKEN",
    "EDSTEM_BASE_URL",
    "EDSTEM_REGION",
    "EDSTEM_TIMEOUT_SECONDS",
    "EDSTEM_MAX_RETRIES",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_from_env_reads_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDSTEM_API_TOKEN", "tok")
    monkeypatch.setenv("EDSTEM_BASE_URL", "http://127.0.0.1:9/api")
    monkeypatch.setenv("EDSTEM_TIMEOUT_SECONDS", "7.5")
    with EdStemClient.from_env() as client:
        assert client.base_url == "http://127.0.0.1:9/api"
        assert client._pipeline.timeout.read == 7.5


def test_from_env_reads_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("EDSTEM_API_TOKEN=fromfile\nEDSTEM_REGION=eu\n")
    with EdStemClient.from_env() as client:
        assert client.base_url == "https://eu.edstem.org/api"
        assert client.region == "eu"
        assert client._pipeline._token == "fromfile"


def test_environment_wins_over_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("EDSTEM_API_TOKEN=fromfile\n")
    monkeypatch.setenv("EDSTEM_API_TOKEN", "fromenv")
    with EdStemClient.from_env() as client:
        assert client._pipeline._token == "fromenv"


def test_missing_token_names_the_variable() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        EdStemClient.from_env()
    assert "EDSTEM_API_TOKEN" in str(caught.value)
    assert "API Tokens" in str(caught.value)


def test_async_from_env_missing_token() -> None:
    with pytest.raises(pydantic.ValidationError, match="EDSTEM_API_TOKEN"):
        AsyncEdStemClient.from_env()


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("au", "https://edstem.org/api"),
        ("us", "https://us.edstem.org/api"),
        ("EU", "https://eu.edstem.org/api"),
    ],
)
def test_region_picks_base_url(region: str, expected: str) -> None:
    with EdStemClient("tok", region=region) as client:
        assert client.base_url == expected
        assert client.static_url("abc").startswith("https://static.")


def test_unknown_region_raises_value_error() -> None:
    with pytest.raises(ValueError, match="ap"):
        EdStemClient("tok", region="ap")


def test_region_and_conflicting_base_url_raise() -> None:
    with pytest.raises(ConfigurationError, match="disagree"):
        EdStemClient("tok", base_url="https://us.edstem.org/api", region="eu")


@pytest.mark.parametrize("token", ["", "   "])
def test_empty_token_raises_without_request(token: str) -> None:
    with pytest.raises(ConfigurationError, match="api_token"):
        EdStemClient(token)


def test_invalid_base_url_raises() -> None:
    with pytest.raises(ConfigurationError, match="ftp://x"):
        EdStemClient("tok", base_url="ftp://x")


def test_sandbox_host_gets_static_files_beside_api() -> None:
    with EdStemClient("tok", base_url="http://127.0.0.1:8000/api") as client:
        assert client.region is None
        assert client.static_url("f1") == "http://127.0.0.1:8000/files/f1"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://edstem.org/us/courses/123/discussion/456",
            {"region": "us", "course_id": 123, "thread_id": 456},
        ),
        (
            "https://edstem.org/au/courses/9/discussion/77?comment=88",
            {"region": "au", "course_id": 9, "thread_id": 77, "comment_id": 88},
        ),
        (
            "https://edstem.org/eu/courses/5/lessons/6/slides/7",
            {"region": "eu", "course_id": 5, "lesson_id": 6, "slide_id": 7},
        ),
        ("https://edstem.org/us/courses/123/discussion/", {"course_id": 123}),
        ("https://edstem.org/us/courses/123", {"course_id": 123, "thread_id": None}),
    ],
)
def test_parse_ed_url(url: str, expected: dict[str, object]) -> None:
    parsed = parse_ed_url(url)
    for key, value in expected.items():
        assert getattr(parsed, key) == value


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/us/courses/1",
        "https://edstem.org/us/dashboard",
        "https://edstem.org/xx/courses/1",
        "not a url",
    ],
)
def test_parse_ed_url_rejects_other_links(url: str) -> None:
    with pytest.raises(InvalidArgumentError):
        parse_ed_url(url)


def test_parsed_link_gives_regional_base_url() -> None:
    assert parse_ed_url("https://edstem.org/us/courses/1").base_url == (
        "https://us.edstem.org/api"
    )
