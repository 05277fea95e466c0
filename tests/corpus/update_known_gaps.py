"""Rewrite ``KNOWN_GAPS`` in tests/test_corpus.py from what the extractor gets wrong now.

usage (from the repository root):
    .venv/bin/python tests/corpus/update_known_gaps.py          # rewrite the dict
    .venv/bin/python tests/corpus/update_known_gaps.py --check  # only print the differences

Each reason is a short summary of the differences the harness finds; run
``pytest tests/test_corpus.py -k <stem>`` for the full list.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))

import test_corpus as tc  # noqa: E402

WIDTH = 96


def summarize(problems: list[str]) -> str:
    parts: list[str] = []

    def add(text: str) -> None:
        if text not in parts:
            parts.append(text)

    dates_noted = False
    for p in problems:
        if p.startswith("ingest error"):
            add("ingest error: " + p.split(": ", 2)[-1][:70])
        elif p.startswith(("missing meeting", "unexpected meeting", "missing participant")):
            add(p)
        elif re.search(r": (start|end) ", p):
            if not dates_noted:
                add("wrong dates (" + p.split(": ", 1)[1].split(" expected")[0] + ")")
                dates_noted = True
        elif ": place " in p:
            add("wrong place")
        elif p.startswith("unexpected participant"):
            add("extra participant " + p.split("participant ", 1)[1])
        elif p.startswith("merely named"):
            add("non-participant listed: " + p.split(": ", 1)[1])
        elif ": state " in p:
            add("state of " + p.split(":")[0])
        elif ": head=" in p:
            add("head flag of " + p.split(":")[0])
        elif ": rank " in p:
            add("rank of " + p.split(":")[0])
        elif p.startswith("missing topics"):
            add(p.replace("'", ""))
        elif p.startswith("unexpected topics"):
            add("extra topics " + p.split("topics ", 1)[1].replace("'", ""))
        else:
            add(p)
    if any(x.startswith("missing meeting") for x in parts):
        skip = ("wrong dates", "wrong place", "missing participant", "missing topics")
        parts = [x for x in parts if not x.startswith(skip)] + ["(nothing of it extracted)"]
    return "; ".join(parts)


def render(gaps: dict[str, str]) -> str:
    out = ["KNOWN_GAPS: dict[str, str] = {"]
    for stem, reason in gaps.items():
        one = f'    "{stem}": "{reason}",'
        if len(one) <= 110:
            out.append(one)
            continue
        out.append(f'    "{stem}": (')
        if len(f'        "{reason}"') <= 110:
            out += [f'        "{reason}"', "    ),"]
            continue
        pieces = reason.split("; ")
        line = ""
        for i, piece in enumerate(pieces):
            piece += "; " if i < len(pieces) - 1 else ""
            if line and len(line) + len(piece) > WIDTH:
                out.append(f'        "{line}"')
                line = piece
            else:
                line += piece
        out.append(f'        "{line}"')
        out.append("    ),")
    out.append("}")
    return "\n".join(out)


def main() -> int:
    gaps = {}
    for stem in tc.STEMS:
        problems = tc.compare(tc.expected(stem), tc.run_article(stem))
        if problems:
            gaps[stem] = summarize(problems).replace('"', "'")
    fixed = sorted(set(tc.KNOWN_GAPS) - set(gaps))
    broken = sorted(set(gaps) - set(tc.KNOWN_GAPS))
    print(
        f"{len(tc.STEMS) - len(gaps)}/{len(tc.STEMS)} articles right; "
        f"now right: {fixed or '-'}; newly wrong: {broken or '-'}"
    )
    if "--check" in sys.argv:
        return 0
    path = TESTS / "test_corpus.py"
    text = path.read_text(encoding="utf-8")
    pattern = r"KNOWN_GAPS: dict\[str, str\] = \{(?:\}|\n.*?\n\})"
    new = re.sub(pattern, lambda _: render(gaps), text, count=1, flags=re.S)
    path.write_text(new, encoding="utf-8")
    print(f"rewrote KNOWN_GAPS in {path} ({len(gaps)} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
