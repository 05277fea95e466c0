"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from defkg.errors import DefkgError

store_option = click.option(
    "--store",
    "store",
    required=True,
    type=click.Path(file_okay=False),
    envvar="DEFKG_STORE",
    help="Directory of the store (env DEFKG_STORE).",
)

wait_option = click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Wait this long for another process holding the store (an ingest), then fail.",
)


class Failure(click.ClickException):
    """A failure reported on one line, exit code 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"defkg: {self.format_message()}", err=True)


def reports_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the project's own errors into one-line messages with exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DefkgError as e:
            raise Failure(str(e)) from e

    return wrapper
