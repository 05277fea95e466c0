"""The command line: every command has help with an example; exit codes; data on stdout."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from defkg.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "aa-turkiye-uk-consultations-2025.txt"


def commands():
    import click

    names = cli.list_commands(click.Context(cli))  # the group loads its commands lazily
    assert len(names) >= 10
    return names


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "s"
    result = CliRunner().invoke(cli, ["ingest", str(SAMPLE), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_top_level_help_has_examples(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and "Exit codes" in result.output


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_with_an_example(runner, name):
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Examples?:", result.output), f"{name} --help has no example"
    assert f"defkg {name}" in result.output


HEAVY = ("rdflib", "networkx", "pyvis", "IPython")


def _heavy_modules_after(args: list[str]) -> list[str]:
    """The heavy libraries a fresh interpreter has executed after running ``defkg ARGS``."""
    code = (
        "import sys\n"
        "from defkg.cli.main import cli\n"
        "try:\n"
        f"    cli({args!r})\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        # a submodule, not the name: a module imported lazily (defkg._lazy) is in sys.modules
        # before it runs; each of these imports submodules of its own when it does
        "ran = {m.split('.')[0] for m in sys.modules if '.' in m}\n"
        f"print(sorted(ran & {set(HEAVY)!r}), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.strip().splitlines()[-1].replace("'", '"'))


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["view", "--help"],
        ["analyse", "--help"],
        ["ingest", "--help"],
        ["query", "--list"],
        ["query", "meetings", "--store", "STORE"],
        ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", "STORE"],
        ["stats", "--store", "STORE"],
        ["export", "--store", "STORE", "--format", "nquads", "--out", "OUT"],
    ],
)
def test_commands_import_no_heavy_library_they_do_not_use(store, tmp_path, args):
    """Listing the commands, a command's help, a query, stats and an export do not import rdflib
    (~0.2 s), networkx (~0.3 s) or pyvis (~0.45 s): `defkg --help` took ~1 s of CPU when they did."""
    args = [str(store) if a == "STORE" else str(tmp_path / "out.nq") if a == "OUT" else a for a in args]
    assert _heavy_modules_after(args) == []


def test_building_a_network_imports_networkx_when_used(store):
    assert _heavy_modules_after(["analyse", "--store", str(store), "--top", "3"]) == ["networkx"]


def test_unknown_command_is_a_usage_error(runner):
    assert runner.invoke(cli, ["frobnicate"]).exit_code == 2


def test_missing_argument_is_a_usage_error(runner):
    assert runner.invoke(cli, ["ingest"]).exit_code == 2


def test_query_list_names_the_contract_queries(runner):
    result = runner.invoke(cli, ["query", "--list"])
    assert result.exit_code == 0
    names = {line.split()[0] for line in result.output.splitlines() if line.strip()}
    assert {
        "meetings",
        "meeting-states",
        "participants",
        "topics",
        "timeline",
        "officials-by-state",
        "meetings-between",
        "state-pairs",
    } <= names


@pytest.mark.parametrize(
    ("query", "columns"),
    [
        ("meetings", {"meeting", "label", "start", "end", "place", "placeQid"}),
        ("meeting-states", {"meeting", "state", "stateLabel", "stateQid"}),
        ("participants", {"meeting", "person", "name", "stateQid", "organization", "title", "rank", "head"}),
        ("topics", {"meeting", "topic", "topicLabel", "topicQid"}),
    ],
)
def test_contract_queries_return_sparql_json(runner, store, query, columns):
    result = runner.invoke(cli, ["query", query, "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert columns <= set(data["head"]["vars"])
    assert data["results"]["bindings"], f"{query} returned nothing for the sample"


def test_query_on_missing_store_fails_with_one_line(runner, tmp_path):
    result = runner.invoke(cli, ["query", "meetings", "--store", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "no defkg store" in result.stderr


def test_update_is_refused(runner, store):
    result = runner.invoke(cli, ["query", "DELETE WHERE { ?s ?p ?o }", "--store", str(store)])
    assert result.exit_code == 1
    assert "read-only" in result.stderr


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_federated_queries_are_refused(runner, store, sparql):
    result = runner.invoke(cli, ["query", sparql, "--store", str(store)])
    assert result.exit_code == 1
    assert "SERVICE" in result.stderr


def test_the_word_service_in_a_string_is_fine(runner, store):
    sparql = 'SELECT ?x WHERE { BIND("service <x>" AS ?x) }'
    assert runner.invoke(cli, ["query", sparql, "--store", str(store)]).exit_code == 0


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_formats(runner, store, fmt):
    result = runner.invoke(cli, ["query", "meeting-states", "--store", str(store), "--format", fmt])
    assert result.exit_code == 0
    assert "Q43" in result.stdout and "Q145" in result.stdout


def test_meetings_between_with_parameters(runner, store):
    result = runner.invoke(
        cli,
        [
            "query",
            "meetings-between",
            "--param",
            "a=TUR",
            "--param",
            "b=GBR",
            "--store",
            str(store),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2025-05-29" in result.stdout


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("turtle", "ttl"), ("trig", "trig"), ("nt", "nt"), ("jsonld", "jsonld")]
)
def test_export_formats_parse_back(runner, store, tmp_path, fmt, suffix):
    from rdflib import Dataset, Graph

    result = runner.invoke(cli, ["export", "--store", str(store), "--format", fmt, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    out = tmp_path / f"defkg.{suffix}"
    assert result.stdout.strip() == str(out)
    g = Dataset() if fmt in ("trig", "jsonld") else Graph()
    g.parse(out, format={"turtle": "turtle", "trig": "trig", "nt": "nt", "jsonld": "json-ld"}[fmt])
    assert len(g) > 50


def test_explain_gives_sentences(runner, store):
    result = runner.invoke(cli, ["explain", "dkr:meeting/gbr-tur/2025-05-29", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "dk:participatingState" in result.stdout
    assert "Londra" in result.stdout


def test_stats(runner, store):
    result = runner.invoke(cli, ["stats", "--store", str(store)])
    assert result.exit_code == 0
    assert re.match(r"articles=1 meetings=1 states=\d+ officials=\d+ triples=\d+", result.stdout)


def test_readme_commands_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```.*?```", readme, re.DOTALL)
    lines = [ln.strip().removeprefix("$ ") for b in blocks for ln in b.splitlines()]
    lines += re.findall(r"`([^`\n]+)`", readme)  # inline code that starts with the command
    used = {m.group(1) for ln in lines if (m := re.match(r"defkg ([a-z][a-z-]*)", ln))}
    assert used, "README shows no defkg command"
    assert used <= set(commands()), f"README uses unknown commands: {used - set(commands())}"
    for target in ("make demo", "make test"):
        assert target in readme
