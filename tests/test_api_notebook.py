"""The example notebook ``examples/analyst.ipynb`` runs from top to bottom (nbclient, a local
kernel, no network) and says what it should."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "analyst.ipynb"


def _text(cell: nbformat.NotebookNode) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def test_analyst_notebook_runs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit it without outputs"
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, errors[0].evalue if errors else ""
    text = [_text(c) for c in code]
    assert re.match(r"\d+ articles, \d+ meetings, 0 errors\n", text[0]), text[0]
    assert any("https://w3id.org/defkg/id/person/tur/guler-yasar" in t for t in text)
    assert any("['states.gexf', 'states.graphml']" in t for t in text)
    assert any("did you mean 'meetings'" in t and "did you mean 'LIMIT'" in t for t in text)
