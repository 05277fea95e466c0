"""``defkg``: the command group. Each subcommand lives in its own module of this package.

Exit codes: 0 ok; 1 failure (bad input, non-conforming data, store or query error); 2 usage error.
"""

from __future__ import annotations

import importlib
import sys

import click

from defkg import __version__
from defkg.errors import DefkgError

# Modules of defkg.cli that define a click command named ``command``.
COMMANDS = (
    "ingest",
    "extract",
    "load",
    "query",
    "export",
    "stats",
    "explain",
    "analyse",
    "graphs",
    "view",
    "push",
    "serve",
    "dataset",
)

EPILOG = """\b
Examples:
  defkg ingest examples/ --store store
  defkg query meetings --store store
  defkg query --list
  defkg export --store store --format turtle --out exports

\b
Exit codes: 0 ok, 1 failure (bad input, store or query error), 2 usage error.
"""


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class LazyGroup(click.Group):
    """A command group that imports a command's module only when that command runs: ``defkg
    query`` does not pay for importing the ingest pipeline, networkx or pyvis. Listing the
    commands (``--help``) imports them all."""

    def _load(self, module: str) -> None:
        command: click.Command = importlib.import_module(f"defkg.cli.{module}").command
        if command.name not in self.commands:
            self.add_command(command)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in COMMANDS:
            self._load(module)
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            module = cmd_name.replace("-", "_")
            if module in COMMANDS:
                self._load(module)
            if cmd_name not in self.commands:  # a command named unlike its module
                self.list_commands(ctx)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """An unknown command fails with "did you mean" (close spellings, or commands it begins)."""
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            from defkg.sparql_errors import did_you_mean

            ctx.fail(f"No such command {args[0]!r}{did_you_mean(args[0], self.list_commands(ctx))}.")
        return super().resolve_command(ctx, args)


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="defkg")
def cli() -> None:
    """defkg: a knowledge graph of bilateral defence relations, built from news reports
    (Turkish and English) of defence and security meetings between states."""


def main() -> None:
    try:
        cli.main(standalone_mode=True)
    except DefkgError as e:  # pragma: no cover - commands turn errors into ClickException
        click.echo(f"defkg: {e}", err=True)
        sys.exit(1)
