"""defkg._lazy: a module imported at the first read of one of its attributes."""

import subprocess
import sys

import pytest

# each runs in a fresh interpreter, where the module has not been imported yet
CASES = {
    "imports at the first attribute read, not before": """
import sys
from defkg import _lazy
m = _lazy.module("colorsys")
assert "colorsys" not in sys.modules
assert m.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)
import colorsys
assert sys.modules["colorsys"] is colorsys and m.rgb_to_hsv is colorsys.rgb_to_hsv
""",
    "many threads reading at once all see the module": """
import threading
from defkg import _lazy
m = _lazy.module("fractions")
start, got, errors = threading.Barrier(16), [], []
def read():
    start.wait()
    try:
        got.append(m.Fraction(1, 3) + m.Fraction(1, 6))
    except Exception as e:
        errors.append(repr(e))
threads = [threading.Thread(target=read) for _ in range(16)]
for t in threads: t.start()
for t in threads: t.join()
assert not errors, errors
assert len(got) == 16 and {str(x) for x in got} == {"1/2"}
""",
    "a missing attribute is an AttributeError": """
from defkg import _lazy
m = _lazy.module("colorsys")
try:
    m.no_such_function
except AttributeError:
    pass
else:
    raise SystemExit("no AttributeError")
""",
}


@pytest.mark.parametrize("code", CASES.values(), ids=list(CASES))
def test_deferred_module(code: str) -> None:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
