"""The README's tour shows real output: tools/tour.py re-runs each `$ defkg ...` command of the
tour block and compares its output with what the README prints (regenerate with
`python tools/tour.py --write`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("tour", ROOT / "tools" / "tour.py")
assert spec and spec.loader
tour = importlib.util.module_from_spec(spec)
sys.modules["tour"] = tour  # dataclasses look their module up
spec.loader.exec_module(tour)


def test_tour_block_has_commands_with_outputs() -> None:
    found = tour.steps(tour.README.read_text(encoding="utf-8").split("\n"))
    assert len(found) >= 5
    assert sum(1 for s in found if s.expected) >= 4


def test_tour_outputs_are_current() -> None:
    lines = tour.README.read_text(encoding="utf-8").split("\n")
    found = tour.steps(lines)
    problems = tour.differences(found, tour.run_all(found))
    assert not problems, "README tour is stale (python tools/tour.py --write):\n" + "\n".join(problems)


def test_a_stale_output_is_noticed() -> None:
    lines = tour.README.read_text(encoding="utf-8").split("\n")
    found = tour.steps(lines)
    outputs = tour.run_all(found)
    step = next(s for s in found if s.expected and not s.truncated)
    step.expected = [*step.expected[:-1], "(99 rows)"]
    assert tour.differences(found, outputs)
    # and writing puts the real output back
    rewritten = tour.write(lines, found, outputs)
    again = tour.steps(rewritten)
    assert not tour.differences(again, outputs)
