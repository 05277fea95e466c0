"""The README's tour (between ``<!-- tour:start -->`` and ``<!-- tour:end -->``) is real output.

Each ``$ defkg ...`` line in the tour's code blocks is run (in this process, on stores built in a
temporary directory: ``.defkg-store`` holds the bundled sample as after ``make demo``; other
store and output paths are moved into the temporary directory) and its standard output is
compared with the lines printed below it in the README. A block ending in ``...`` shows the first
lines of the output only; a command ending in a ``# comment`` is run but its output not shown.

    python tools/tour.py            # check: exit 1 and show the differences if the tour is stale
    python tools/tour.py --write    # rewrite the outputs in README.md from fresh runs

tests/test_readme_tour.py runs the check, so the tour cannot go stale.
"""

from __future__ import annotations

import argparse
import difflib
import re
import shlex
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- tour:start -->", "<!-- tour:end -->"
SAMPLE_STORE = ".defkg-store"


@dataclass
class Step:
    command: str  # as written, without "$ " and continuation backslashes
    expected: list[str]  # output lines shown in the README
    truncated: bool  # the README shows only the first lines (block ends with "...")
    shown: bool  # its output is shown (a command ending in a "# comment" is only run)
    start: int  # index of the command's first line in the README's lines
    end: int  # index after its last output line


def steps(lines: list[str]) -> list[Step]:
    """The commands of the tour block and the output shown below each."""
    try:
        first, last = lines.index(START), lines.index(END)
    except ValueError:
        raise SystemExit(f"README.md has no {START} ... {END} block") from None
    out: list[Step] = []
    in_code = False
    i = first + 1
    while i < last:
        line = lines[i]
        if line.startswith("```"):
            in_code = not in_code
            i += 1
            continue
        if in_code and line.startswith("$ "):
            start = i
            command = line[2:]
            while command.endswith("\\"):
                i += 1
                command = command[:-1].rstrip() + " " + lines[i].strip()
            i += 1
            expected = []
            while i < last and not lines[i].startswith("$ ") and not lines[i].startswith("```"):
                expected.append(lines[i])
                i += 1
            truncated = bool(expected) and expected[-1].strip() == "..."
            shown = not re.search(r"\s#", command)
            out.append(Step(command, expected[:-1] if truncated else expected, truncated, shown, start, i))
            continue
        i += 1
    return out


def _argv(command: str, tmp: Path) -> list[str]:
    """The command's arguments, with stores and outputs moved into ``tmp``."""
    words = shlex.split(command, comments=True)
    if not words or words[0] != "defkg":
        raise SystemExit(f"the tour runs defkg commands only: {command!r}")
    out = []
    for w in words[1:]:
        if w == SAMPLE_STORE or w.startswith("/tmp/"):
            w = str(tmp / w.strip("/").replace("/", "_"))
        elif w.endswith(".html"):
            w = str(tmp / Path(w).name)
        elif not w.startswith("-") and (ROOT / w).exists():
            w = str(ROOT / w)
        out.append(w)
    return out


def run_all(found: list[Step]) -> list[list[str]]:
    """Each step's actual standard output, as lines."""
    from click.testing import CliRunner

    from defkg.cli.main import cli

    outputs = []
    with tempfile.TemporaryDirectory(prefix="defkg-tour-") as d:
        tmp = Path(d)
        demo = CliRunner().invoke(cli, ["ingest", str(ROOT / "examples"), "--store", str(tmp / SAMPLE_STORE)])
        if demo.exit_code != 0:
            raise SystemExit(f"could not build the sample store: {demo.output}")
        for step in found:
            result = CliRunner().invoke(cli, _argv(step.command, tmp))
            if result.exit_code != 0:
                raise SystemExit(f"`{step.command}` failed ({result.exit_code}): {result.output}")
            text = result.stdout.replace(str(tmp) + "/", "")
            outputs.append([ln.rstrip() for ln in text.splitlines()])
    return outputs


def differences(found: list[Step], outputs: list[list[str]]) -> list[str]:
    problems = []
    for step, actual in zip(found, outputs, strict=True):
        shown = [ln.rstrip() for ln in step.expected]
        got = actual[: len(shown)] if step.truncated else actual
        if not step.shown:
            continue  # only run: it writes a file, or its output is described, not shown
        if got != shown:
            diff = difflib.unified_diff(shown, got, "README.md", "actual", lineterm="", n=1)
            problems.append(f"$ {step.command}\n" + "\n".join(diff))
    return problems


def write(lines: list[str], found: list[Step], outputs: list[list[str]]) -> list[str]:
    new = list(lines)
    for step, actual in sorted(zip(found, outputs, strict=True), key=lambda p: -p[0].start):
        if not step.shown:
            continue
        command_lines = new[step.start : step.start + (step.end - step.start - len(step.expected))]
        if step.truncated:
            command_lines = command_lines[:-1]
            body = [*actual[: len(step.expected)], "..."]
        else:
            body = actual
        new[step.start : step.end] = command_lines + body
    return new


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="rewrite the outputs in README.md")
    args = ap.parse_args(argv)
    lines = README.read_text(encoding="utf-8").split("\n")
    found = steps(lines)
    outputs = run_all(found)
    if args.write:
        README.write_text("\n".join(write(lines, found, outputs)), encoding="utf-8")
        print("rewrote the tour's outputs in README.md", file=sys.stderr)
        return 0
    problems = differences(found, outputs)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
