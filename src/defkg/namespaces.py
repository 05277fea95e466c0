"""The project's namespace IRIs, and the names of its kinds of organisation, as plain strings (no
rdflib).

Importing rdflib costs ~0.2 s, more than most queries; the store, the named queries, the query
server and the CLI's query commands need only these strings. ``defkg.vocab`` builds its rdflib
namespaces from them (``tests/test_ontology.py`` checks that each one is rdflib's own).
"""

from __future__ import annotations

ONTOLOGY_IRI = "https://w3id.org/defkg/ontology"
RESOURCE_BASE = "https://w3id.org/defkg/id/"
ONTOLOGY_GRAPH = ONTOLOGY_IRI  # the named graph the ontology is stored in

PREFIXES: dict[str, str] = {
    "dk": ONTOLOGY_IRI + "#",
    "dkr": RESOURCE_BASE,
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "time": "http://www.w3.org/2006/time#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "wd": "http://www.wikidata.org/entity/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}

# The kinds of organisation, by the names the gazetteers give them (orgs.tsv's "kind"): the
# subclasses of dk:Organization in the ontology (tests/test_ontology.py checks that both agree).
ORGANIZATION_KIND_NAMES: tuple[str, ...] = (
    "GovernmentBody",
    "Ministry",
    "ArmedForce",
    "Agency",
    "InternationalOrganization",
    "Company",
    "ArmedNonStateGroup",
)


def sparql_prologue() -> str:
    """PREFIX lines for every prefix above, for queries written without them."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
