"""docs/security.md cannot rot (issue 8): every test it names exists, every file it points to
exists, each ASVS chapter V1-V14 has its section, and each promise of issue 8 names its tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
NODE = re.compile(r"`(tests/[\w/]+\.py)::([\w:]+)`")
NODES = sorted(set(NODE.findall(DOC)))
# A path of the repository in backticks: a folder with a slash, or a file with an extension.
PATH = re.compile(r"`((?:[\w.-]+/)+[\w.-]*|[\w-]+\.(?:py|yml|txt|toml|md))`")


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}.*?(?=^## |\Z)", DOC, re.M | re.S)
    assert match, f"no section {title!r}"
    return match.group(0)


def _rows(section: str) -> list[list[str]]:
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| ")
    ]
    return [row for row in rows[1:] if not set(row[0]) <= {"-"}]  # no header, no rule line


def _defines(source: str, parts: list[str]) -> bool:
    if len(parts) == 1:
        return re.search(rf"^def {parts[0]}\(", source, re.M) is not None
    cls, name = parts
    body = re.search(rf"^class {cls}\b.*?(?=^\S|\Z)", source, re.M | re.S)
    return body is not None and re.search(rf"^    def {name}\(", body.group(0), re.M) is not None


def test_the_document_names_tests():
    assert len(NODES) >= 100


@pytest.mark.parametrize(("path", "name"), NODES, ids=[f"{p}::{n}" for p, n in NODES])
def test_each_named_test_exists(path, name):
    file = ROOT / path
    assert file.is_file(), f"{path} does not exist"
    parts = name.split("::")
    assert parts[-1].startswith("test_"), f"{name} is not a test"
    assert _defines(file.read_text(encoding="utf-8"), parts), f"{path} has no {name}"


def test_each_file_it_points_to_exists():
    paths = {
        p
        for p in PATH.findall(DOC)
        if not p.startswith(("/", "var/", "tests/")) and "*" not in p and "::" not in p
    }
    assert len(paths) >= 30
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert not missing, missing


@pytest.mark.parametrize("chapter", range(1, 15), ids=[f"V{n}" for n in range(1, 15)])
def test_each_asvs_chapter_maps_groups_to_code_and_tests(chapter):
    rows = _rows(_section(f"V{chapter} "))
    assert rows, f"V{chapter} has no requirement group"
    for row in rows:
        group, _what, where, tests = row
        assert group.startswith(f"V{chapter}"), group
        assert where, f"{group}: where in the code?"
        assert NODE.search(tests), f"{group} names no test"


def test_each_promise_of_issue_8_names_its_regression_tests():
    rows = _rows(_section("The promises of issue 8"))
    items = {row[0] for row in rows}
    assert {str(n) for n in range(1, 14)} <= items
    assert sum(row[0] == "CI" for row in rows) >= 6
    for item, _promise, tests in rows:
        assert NODE.search(tests), f"issue 8 item {item} names no test"
