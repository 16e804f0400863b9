"""``python -m pyedstem.testing serve`` run as a real subprocess."""

from __future__ import annotations

import signal
import subprocess
import sys

import httpx
import pytest

from pyedstem.testing.__main__ import main


def read_settings(process: subprocess.Popen[str]) -> dict[str, str]:
    """Read the KEY=VALUE lines up to the last token line."""
    assert process.stdout is not None
    settings: dict[str, str] = {}
    while "OUTSIDER_TOKEN" not in settings:
        line = process.stdout.readline()
        assert line, "serve exited before printing its settings"
        key, _, value = line.strip().partition("=")
        settings[key] = value
    return settings


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serve_prints_settings_and_stops(stop_signal: signal.Signals) -> None:
    command = [
        sys.executable,
        "-m",
        "pyedstem.testing",
        "serve",
        "--port",
        "0",
        "--threads",
        "20",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        settings = read_settings(process)
        base_url = settings["EDSTEM_BASE_URL"]
        assert base_url.startswith("http://127.0.0.1:")
        assert base_url.endswith("/api")
        assert settings["EDSTEM_STREAM_URL"].startswith("ws://127.0.0.1:")
        assert settings["EDSTEM_API_TOKEN"] == settings["STAFF_TOKEN"]
        assert settings["STUDENT_TOKEN"]
        token = settings["EDSTEM_API_TOKEN"]
        response = httpx.get(
            f"{base_url}/user", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200
        course_ids = {entry["course"]["id"] for entry in response.json()["courses"]}
        assert int(settings["EDSTEM_COURSE_ID"]) in course_ids
        process.send_signal(stop_signal)
        _, stderr = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "Traceback" not in stderr


def test_serve_rejects_public_host(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["serve", "--host", "0.0.0.0"])
    captured = capsys.readouterr()
    assert status == 2
    assert "loopback" in captured.err
    assert captured.out == ""


@pytest.mark.parametrize(
    ("option", "value"), [("--threads", "-5"), ("--latency", "-0.5")]
)
def test_serve_rejects_negative_values(
    capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    status = main(["serve", option, value])
    assert status == 2
    assert option in capsys.readouterr().err
