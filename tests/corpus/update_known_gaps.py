"""Rewrite ``KNOWN_GAPS`` in tests/test_corpus.py from what the extractor gets wrong now.

usage (from the repository root):
    .venv/bin/python tests/corpus/update_known_gaps.py                # drop the articles now right
    .venv/bin/python tests/corpus/update_known_gaps.py --check        # only print the differences
    .venv/bin/python tests/corpus/update_known_gaps.py --accept STEM  # record one article's new reason

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
    """Shrinks KNOWN_GAPS: an article now right is removed. An article that fails newly, or
    differently from its recorded reason, is only listed: its entry changes only when it is named
    with ``--accept STEM`` (one article at a time, after reading why it fails), never wholesale."""
    accept = {sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--accept"}
    now: dict[str, str] = {}
    for stem in tc.STEMS:
        problems = tc.compare(tc.expected(stem), tc.run_article(stem))
        if problems:
            now[stem] = tc.summarize(problems)
    fixed = sorted(set(tc.KNOWN_GAPS) - set(now))
    changed = sorted(s for s in now if tc.KNOWN_GAPS.get(s) != now[s])
    print(f"{len(tc.STEMS) - len(now)}/{len(tc.STEMS)} articles right; now right: {fixed or '-'}")
    for stem in changed:
        was = tc.KNOWN_GAPS.get(stem, "(right before)")
        mark = "  [accepted]" if stem in accept else ""
        print(f"{stem}:\n  recorded: {was}\n  now:      {now[stem]}{mark}")
    gaps = {s: r for s, r in tc.KNOWN_GAPS.items() if s in now}
    gaps.update({s: now[s] for s in changed if s in accept})
    refused = [s for s in changed if s not in accept]
    if "--check" in sys.argv:
        return 0
    path = TESTS / "test_corpus.py"
    text = path.read_text(encoding="utf-8")
    pattern = r"KNOWN_GAPS: dict\[str, str\] = \{(?:\}|\n.*?\n\})"
    new = re.sub(pattern, lambda _: render(dict(sorted(gaps.items()))), text, count=1, flags=re.S)
    path.write_text(new, encoding="utf-8")
    print(f"rewrote KNOWN_GAPS in {path} ({len(gaps)} entries)")
    if refused:
        print("not accepted (fix them, or name each with --accept STEM): " + ", ".join(refused))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
