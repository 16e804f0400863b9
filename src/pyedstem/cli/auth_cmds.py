"""``edstem auth``: log in (check, find the region, store), status and log out."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Annotated, Any, Literal

import typer

from ..client import EdStemClient
from ..config import region_for_base_url, resolve_base_url
from ..errors import AuthenticationError
from ..models import CurrentUserResponse
from . import credentials
from .errors import EXIT_AUTH, EXIT_USAGE, CliError
from .output import JsonFlag, note, print_json, stdout
from .session import Session, session

auth_app = typer.Typer(
    help="Log in with an Ed API token, show the login, log out.",
    no_args_is_help=True,
)

# Ed serves each region from its own host, and a token works on one of them.
REGIONS = ("au", "us", "eu")

Checker = Callable[[dict[str, str]], CurrentUserResponse]


def mask_token(token: str) -> str:
    """Show the first four characters of a token and its length, nothing else."""
    if len(token) <= 8:
        return f"{'*' * len(token)} ({len(token)} characters)"
    return f"{token[:4]}{'*' * 8} ({len(token)} characters)"


def find_host(
    check: Checker, explicit: dict[str, str]
) -> tuple[dict[str, str], CurrentUserResponse]:
    """Find the host that accepts a token, trying each region unless one is given.

    Args:
        check: Sends ``GET /user`` with the token to the host described by
            ``base_url``/``region`` arguments.
        explicit: Host arguments the user gave. When present, only they are
            tried.

    Returns:
        The host arguments that worked and the account.

    Raises:
        AuthenticationError: Every host tried rejected the token.
    """
    if explicit:
        return explicit, check(explicit)
    last: AuthenticationError | None = None
    for region in REGIONS:
        host = {"region": region}
        try:
            return host, check(host)
        except AuthenticationError as exc:
            last = exc
    assert last is not None
    raise last


def _read_token(state: Session) -> str:
    if state.token:
        return state.token.strip()
    if sys.stdin.isatty():
        token = typer.prompt("Ed API token", hide_input=True)
    else:
        token = sys.stdin.readline()
    token = str(token).strip()
    if not token:
        raise CliError(
            "No token given. Paste the token from Ed's Settings > API Tokens page, "
            "pipe it on stdin, or pass --token.",
            EXIT_USAGE,
        )
    return token


@auth_app.command("login")
def login(
    ctx: typer.Context,
    store: Annotated[
        Literal["auto", "keyring", "file"] | None,
        typer.Option(
            "--store",
            help="Where to keep the token: the OS keyring, a private file, or "
            "auto (the keyring when one exists). Default: EDSTEM_TOKEN_STORE or auto.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check a token with Ed, find its region, and save it for later commands.

    The token is read from --token, else from a hidden prompt, else from one
    line of stdin. Without --region or --base-url, each of Ed's regions (au,
    us, eu) is tried in turn.
    """
    state = session(ctx)
    token = _read_token(state)
    options = state.client_options()

    def check(host: dict[str, str]) -> CurrentUserResponse:
        arguments: dict[str, Any] = {**options, **host}
        with EdStemClient(token, **arguments) as client:
            return client.user.get_current_user()

    explicit = state.host_options(saved=False)
    try:
        host, me = find_host(check, explicit)
    except AuthenticationError as exc:
        tried = "the given host" if explicit else f"every region ({', '.join(REGIONS)})"
        raise CliError(
            f"Ed rejected the token on {tried}: {exc}. Copy the token again from "
            "Ed's Settings > API Tokens page.",
            EXIT_AUTH,
        ) from exc
    base_url = resolve_base_url(host.get("base_url"), host.get("region"))
    region = region_for_base_url(base_url)
    where = credentials.save_login(
        token, base_url=base_url, region=region, user_name=me.user.name, store=store
    )
    place = (
        "the OS keyring"
        if where == "keyring"
        else f"{credentials.config_path()} (readable only by you)"
    )
    region_text = f"region {region}" if region else base_url
    note(f"Logged in as {me.user.name} ({region_text}). Token saved in {place}.")


def _status(state: Session, offline: bool) -> dict[str, Any]:
    source = state.token_source()
    if source is None:
        raise CliError(
            "Not logged in: no token from --token, EDSTEM_API_TOKEN, a .env file "
            "or 'edstem auth login'.",
            EXIT_AUTH,
        )
    client = state.client()
    status: dict[str, Any] = {
        "token": mask_token(source.token),
        "token_source": source.origin,
        "base_url": client.base_url,
        "region": client.region,
        "config_file": str(credentials.config_path()),
    }
    if not offline:
        me = client.user.get_current_user()
        active = [e for e in me.courses if e.course.is_active]
        status.update(
            {
                "user_id": me.user.id,
                "user_name": me.user.name,
                "courses_active": len(active),
                "courses_total": len(me.courses),
            }
        )
    return status


@auth_app.command("status")
def status(
    ctx: typer.Context,
    offline: Annotated[
        bool, typer.Option("--offline", help="Do not check the token with Ed.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Show which token is used (masked), where it comes from, and whose it is."""
    info = _status(session(ctx), offline)
    if as_json:
        print_json(info)
        return
    console = stdout()
    region = f" (region {info['region']})" if info["region"] else ""
    lines = [
        ("Token", f"{info['token']} from the {info['token_source']}"),
        ("API", f"{info['base_url']}{region}"),
    ]
    if not offline:
        lines.append(("Account", f"{info['user_name']} (id {info['user_id']})"))
        lines.append(
            ("Courses", f"{info['courses_active']} active of {info['courses_total']}")
        )
    lines.append(("Config", info["config_file"]))
    for label, value in lines:
        console.print(f"{label + ':':<9} {value}", markup=False)


@auth_app.command("logout")
def logout() -> None:
    """Remove the saved token from the OS keyring or the config file."""
    where = credentials.delete_login()
    if where is None:
        note("No saved login to remove.")
    elif where == "keyring":
        note("Removed the saved token from the OS keyring.")
    else:
        note(f"Removed the saved token from {credentials.config_path()}.")
    if os.environ.get("EDSTEM_API_TOKEN"):
        note("EDSTEM_API_TOKEN is still set and will keep being used.")
