"""``.github/workflows/book.yml``: the book is built and tested by ``make test`` and deployed to GitHub Pages from main.

actionlint (``make lint``) checks the workflow's syntax and expressions where it is installed; these tests check
what the project asks of it, and run everywhere: the official Pages actions at pinned major versions, the least
permissions, ``.ci/run`` (so ``make test``) with Debian's chromium installed first, and a deploy only from main.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
ON_MAIN = "github.event_name == 'push' && github.ref == 'refs/heads/main'"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def _uses(workflow: dict, job: str) -> dict[str, dict]:
    return {step["uses"].split("@")[0]: step for step in _steps(workflow, job) if "uses" in step}


def test_runs_on_pushes_to_main_and_pull_requests(workflow: dict) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert triggers["push"]["branches"] == ["main"]
    assert "pull_request" in triggers


def test_every_action_is_official_and_pinned_to_a_major_version(workflow: dict) -> None:
    uses = [step["uses"] for job in workflow["jobs"] for step in _steps(workflow, job) if "uses" in step]
    assert uses, "no action used"
    loose = [use for use in uses if not re.fullmatch(r"actions/[a-z-]+@v\d+", use)]
    assert not loose, f"actions not official or not pinned to a major version: {loose}"
    names = {use.split("@")[0] for use in uses}
    assert {"actions/checkout", "actions/upload-pages-artifact", "actions/configure-pages"} <= names
    assert "actions/deploy-pages" in names


def test_build_installs_chromium_then_runs_make_test(workflow: dict) -> None:
    steps = _steps(workflow, "build")
    runs = [step.get("run", "") for step in steps]
    install = next(i for i, run in enumerate(runs) if "apt-get install" in run)
    assert "chromium" in runs[install]
    ci = next(i for i, run in enumerate(runs) if run.strip() == "bash .ci/run")
    assert install < ci
    assert "exec make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert workflow["jobs"]["build"].get("timeout-minutes", 360) <= 60


def test_only_main_uploads_and_deploys_with_the_least_permissions(workflow: dict) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    upload = _uses(workflow, "build")["actions/upload-pages-artifact"]
    assert upload["with"]["path"] == "_build/html"
    assert upload["if"] == ON_MAIN
    deploy = workflow["jobs"]["deploy"]
    assert deploy["if"] == ON_MAIN
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert "actions/deploy-pages" in _uses(workflow, "deploy")
