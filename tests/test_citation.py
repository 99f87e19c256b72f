"""CITATION.cff is valid Citation File Format 1.2.0, carries lgrad's version, and lists the paper it reproduces.

The schema is the official CFF 1.2.0 JSON schema (``$id`` https://citation-file-format.github.io/1.2.0/schema.json,
CC-BY-4.0), vendored as ``tests/data/cff-schema-1.2.0.json``: copied unchanged from the ``cffconvert==2.0.0`` wheel on
PyPI (``cffconvert/schemas/1.2.0/schema.json``), so the test needs no network.
"""

from __future__ import annotations

import copy
import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
CITATION = REPO_ROOT / "CITATION.cff"
SCHEMA = Path(__file__).resolve().parent / "data" / "cff-schema-1.2.0.json"
SCHEMA_SHA256 = "0b8d22140da702d766df318dcff3a91af2f39521298dcf36d76315fd99cc169b"

PAPER_TITLE = "Representación del aprendizaje reutilizando los gradientes de la retropropagación"
PAPER_DOI = "10.48550/arXiv.2012.03188"
PAPER_URL = "https://arxiv.org/abs/2012.03188"


class _CffLoader(yaml.SafeLoader):
    """YAML 1.2 reading, as CFF intends: ``2026-11-27`` stays a string (PyYAML's 1.1 rules would make it a date)."""


_CffLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_cff(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_CffLoader)  # noqa: S506 - a SafeLoader subclass


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def citation() -> dict[str, Any]:
    return _load_cff(CITATION)


def _schema_errors(document: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(top level)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
    ]


def test_vendored_schema_is_the_official_one(schema: dict[str, Any]) -> None:
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256, "the vendored schema was changed"


def test_citation_cff_is_valid_cff_1_2_0(citation: dict[str, Any], schema: dict[str, Any]) -> None:
    assert citation["cff-version"] == "1.2.0"
    errors = _schema_errors(citation, schema)
    assert not errors, "CITATION.cff does not follow CFF 1.2.0:\n" + "\n".join(errors)


def test_schema_check_catches_an_invalid_file(citation: dict[str, Any], schema: dict[str, Any]) -> None:
    broken = copy.deepcopy(citation)
    del broken["authors"]
    broken["date-released"] = "27 November 2026"
    broken["references"][0]["type"] = "preprint-ish"
    errors = "\n".join(_schema_errors(broken, schema))
    assert "'authors' is a required property" in errors
    assert "date-released" in errors
    assert "references/0/type" in errors


def test_citation_version_is_the_package_version(citation: dict[str, Any]) -> None:
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert citation["version"] == pyproject["project"]["version"]


def test_citation_names_the_book_and_its_licence(citation: dict[str, Any]) -> None:
    assert citation["title"] == "lgrad: a reproducible companion to Reyes-Ochoa & López-Aguayo (2020)"
    assert citation["license"] == "MIT"
    assert citation["date-released"] == "2026-11-27"


def test_citation_references_the_paper(citation: dict[str, Any]) -> None:
    papers = [ref for ref in citation.get("references", []) if ref.get("title") == PAPER_TITLE]
    assert len(papers) == 1, f"the paper {PAPER_TITLE!r} is not (once) under references"
    paper = papers[0]
    assert paper["type"] == "article"
    assert paper["year"] == 2020
    assert [(a["given-names"], a["family-names"]) for a in paper["authors"]] == [
        ("Roberto", "Reyes-Ochoa"),
        ("Servando", "López-Aguayo"),
    ]
    assert paper["doi"] == PAPER_DOI
    assert paper["url"] == PAPER_URL
    identifiers = {(identifier["type"], identifier["value"]) for identifier in paper["identifiers"]}
    assert {("doi", PAPER_DOI), ("other", "arXiv:2012.03188")} <= identifiers
