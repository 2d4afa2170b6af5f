"""What services, views and serializers say to people goes through gettext (issue 10 §6,
issue 11): a Chinese sentence written straight into a refusal, a form error or a notification
stays Chinese in English mode. The scan below finds such sentences so none comes back."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from applications.services.form import _clean_systems
from common.exceptions import ApplicationError
from organisations.credit_import import numbered_from_json

pytestmark = pytest.mark.unit

CJK = re.compile(r"[\u4e00-\u9fff]")
GETTEXT = {
    "gettext",
    "_",
    "gettext_lazy",
    "pgettext",
    "ngettext",
    "pgettext_lazy",
    "ngettext_lazy",
}
# Calls whose arguments people read.
SPEAKERS = {
    "ApplicationError",
    "StateConflict",
    "ValidationError",
    "NotFound",
    "PermissionDenied",
    "Http404",
    "error",
    "success",
    "info",
    "warning",
    "add_error",
    "notify",
}
# Data, not sentences: criteria names, import column names and headers, export headings.
DATA_MODULES = {
    "programmes/criteria_data.py",
    "organisations/credit_import.py",
    "organisations/importing.py",
    "review/exports.py",
    "awards/dossier.py",
    "awards/register_api.py",
    "common/zipsafe.py",
}
SKIPPED_DIRS = ("tests", "bench", ".venv", "demo")


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _bare_chinese(node: ast.AST) -> list[ast.Constant]:
    """Chinese string literals under ``node`` that no gettext call wraps."""
    if isinstance(node, ast.Call) and _name(node.func) in GETTEXT:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value):
        return [node]
    found = []
    for child in ast.iter_child_nodes(node):
        found += _bare_chinese(child)
    return found


def untranslated_messages(root: Path) -> list[str]:
    """``path:line: call: argument`` for each argument of a call people read that carries a
    Chinese literal outside gettext."""
    paths = {*root.glob("*/services/*.py"), *root.glob("*/services.py"), *root.glob("*/*.py")}
    hits = []
    for path in sorted(paths):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(SKIPPED_DIRS) or "/migrations/" in rel or rel in DATA_MODULES:
            continue
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in SPEAKERS):
                continue
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if _bare_chinese(arg):
                    text = ast.get_source_segment(source, arg) or ""
                    hits.append(f"{rel}:{arg.lineno}: {_name(node.func)}: {text[:90]}")
    return hits


def test_no_user_visible_chinese_message_bypasses_gettext():
    assert untranslated_messages(Path(settings.BASE_DIR)) == []


def test_the_scan_finds_a_bare_message(tmp_path):
    (tmp_path / "app" / "services").mkdir(parents=True)
    (tmp_path / "app" / "services" / "x.py").write_text(
        'def f(n):\n    raise ApplicationError(f"第{n}行不是对象。")\n'
        '    raise ApplicationError(gettext("已翻译"))\n',
        encoding="utf-8",
    )
    assert untranslated_messages(tmp_path) == [
        'app/services/x.py:2: ApplicationError: f"第{n}行不是对象。"'
    ]


def test_a_service_refusal_is_english_in_english_mode():
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        numbered_from_json([{}, "not an object"])
    assert refused.value.message == "Row 2 is not an object."
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as refused:
        numbered_from_json([{}, "not an object"])
    assert refused.value.message == "第2行不是对象。"


def test_a_form_check_is_english_in_english_mode():
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _clean_systems("not a list")
    assert refused.value.message_dict == {"management_systems": ["Must be a list of certificates."]}
