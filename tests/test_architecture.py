"""docs/architecture.md's rule index cannot rot (issue 10 §7)."""

import importlib
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
RULES = Path(ROOT.parent / "shared" / "spec" / "RULES.md")
ROWS = [
    (m.group(1), re.findall(r"`([\w.]+)`", m.group(2)), re.findall(r"`(test_\w+)`", m.group(3)))
    for m in re.finditer(r"^\| (R\d[\w.]*) \| (.+?) \| (.+?) \|$", DOC, re.M)
]
TEST_SOURCES = {p: p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py")}


def _resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize(("rule", "functions", "tests"), ROWS, ids=[r[0] for r in ROWS])
def test_each_rule_names_a_real_function_and_real_tests(rule, functions, tests):
    assert functions and tests
    for dotted in functions:
        assert callable(_resolve(dotted)), dotted
    for name in tests:
        bodies = [
            m.group(0)
            for src in TEST_SOURCES.values()
            for m in re.finditer(rf"def {name}\b.*?(?=\ndef |\Z)", src, re.S)
        ]
        assert bodies, f"{name} is not a test"
        assert rule.replace(".", "_") in name or rule in bodies[0], f"{name} does not name {rule}"


@pytest.mark.skipif(not RULES.exists(), reason="../shared is not beside the checkout")
def test_every_rule_with_a_check_has_a_row():
    ids = set(re.findall(r"\*\*(R\d+)", RULES.read_text(encoding="utf-8")))
    indexed = {r.split(".")[0] for r, _f, _t in ROWS}
    # R8 and R9/R10 are covered in prose below the table (no data to check).
    assert ids - indexed == {"R8", "R9"}
    assert "R8 (no fee" in DOC and "R9/R10" in DOC


def test_every_page_module_is_under_the_pages_beside_api_contract():
    """import-linter's wildcards replace whole modules only, so ``*_views`` modules are named
    one by one in `.importlinter`; a new one must be named too."""
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter", encoding="utf-8")
    sources = config["importlinter:contract:pages-beside-api"]["source_modules"].split()
    for path in ROOT.glob("*/*_views.py"):
        assert f"{path.parent.name}.{path.stem}" in sources, path


def test_no_page_view_grows_past_about_forty_lines():
    """Issue 10 §3: a view parses, asks, calls one service and renders; what a page reads lives
    in selectors or a page module, forms in forms.py. Counted without docstrings."""
    import ast

    too_long = []
    modules = {*ROOT.glob("*/views.py"), *ROOT.glob("*/*_views.py"), *ROOT.glob("*/operations.py")}
    for path in sorted(modules):
        if ".venv" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.ClassDef) or node.name == "OperationView":
                continue
            docstrings = sum(
                n.body[0].end_lineno - n.body[0].lineno + 1
                for n in ast.walk(node)
                if isinstance(n, ast.ClassDef | ast.FunctionDef)
                and n.body
                and isinstance(n.body[0], ast.Expr)
                and isinstance(getattr(n.body[0], "value", None), ast.Constant)
                and isinstance(n.body[0].value.value, str)
            )
            length = node.end_lineno - node.lineno + 1 - docstrings
            if length > 45:
                too_long.append(f"{path.relative_to(ROOT)}:{node.name} ({length} lines)")
    assert too_long == []
