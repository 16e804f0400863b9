"""Command line: ``python -m pyedstem.testing serve``.

Starts a sandbox Ed on a loopback address, prints its URLs and tokens as
``KEY=VALUE`` lines on stdout (so a shell can ``eval`` or a script can parse
them), and serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from pyedstem.testing.sandbox import Sandbox
from pyedstem.testing.server import check_loopback

logger = logging.getLogger("pyedstem.testing")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pyedstem.testing",
        description="Run the pyedstem sandbox Ed server on a loopback address.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="serve a generated Ed world over HTTP until interrupted",
        description=(
            "Serve a generated Ed world over HTTP and a websocket stream. "
            "Prints EDSTEM_BASE_URL, EDSTEM_STREAM_URL, EDSTEM_API_TOKEN (staff) "
            "and one token per role as KEY=VALUE lines, then serves until "
            "SIGINT or SIGTERM."
        ),
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="loopback address to bind (default: 127.0.0.1; others are rejected)",
    )
    serve.add_argument(
        "--port", type=int, default=0, help="TCP port (default: 0, a free port)"
    )
    serve.add_argument(
        "--seed", type=int, default=1, help="world generator seed (default: 1)"
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=None,
        metavar="N",
        help="number of threads in the demo course (default: 1500)",
    )
    serve.add_argument(
        "--latency",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="delay added to every request, in seconds (default: 0)",
    )
    return parser


def _environment_lines(sandbox: Sandbox, base_url: str, stream_url: str) -> list[str]:
    lines = [
        f"EDSTEM_BASE_URL={base_url}",
        f"EDSTEM_STREAM_URL={stream_url}",
        f"EDSTEM_API_TOKEN={sandbox.tokens['staff']}",
        f"EDSTEM_COURSE_ID={sandbox.demo_course_id}",
        f"OTHER_COURSE_ID={sandbox.other_course_id}",
        f"ARCHIVED_COURSE_ID={sandbox.archived_course_id}",
    ]
    for role, token in sandbox.tokens.items():
        lines.append(f"{role.upper()}_TOKEN={token}")
    return lines


def serve(arguments: argparse.Namespace) -> int:
    """Run the server until SIGINT or SIGTERM; return the exit status."""
    try:
        check_loopback(arguments.host)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if arguments.threads is not None and arguments.threads < 0:
        print(
            f"error: --threads must be >= 0, got {arguments.threads}", file=sys.stderr
        )
        return 2
    if arguments.latency < 0:
        print(
            f"error: --latency must be >= 0, got {arguments.latency}", file=sys.stderr
        )
        return 2
    logging.basicConfig(
        level=logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    sandbox = Sandbox(
        seed=arguments.seed,
        threads_per_course=arguments.threads,
        latency=arguments.latency,
    )
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        server = sandbox.serve(host=arguments.host, port=arguments.port)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    with server:
        for line in _environment_lines(sandbox, server.base_url, server.stream_url):
            print(line)
        sys.stdout.flush()
        logger.info("serving %s; stop with Ctrl-C", server.base_url)
        while not stop.wait(0.5):
            pass
    logger.info("sandbox stopped")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    logging.basicConfig(
        level=logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    arguments = _parser().parse_args(argv)
    if arguments.command == "serve":
        return serve(arguments)
    return 2


if __name__ == "__main__":
    sys.exit(main())
