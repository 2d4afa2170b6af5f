"""The application's admin page shows the form's JSON (indicators, management system
certificates, self-evaluation) as tables, every cell escaped (issue 11)."""

import pytest

from accounts.roles import ensure_role_groups
from applications.models import Application

pytestmark = pytest.mark.unit


def _change_page(client, committee, app) -> str:
    ensure_role_groups()
    client.force_login(committee)
    response = client.get(f"/admin/applications/application/{app.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def test_admin_shows_the_form_json_as_tables(client, committee, complete_draft):
    html = _change_page(client, committee, complete_draft)
    assert html.count("<table><thead>") == 3
    assert '{"' not in html
    assert "&quot;" + "year" not in html
    for shown in ("125,000,000.00", "00123Q45678", "中国质量认证中心", "60%", "良好"):
        assert shown in html, shown


def test_admin_tables_escape_what_the_applicant_typed(client, committee, complete_draft):
    Application.objects.filter(pk=complete_draft.pk).update(
        management_systems=[{"standard": "<script>alert(1)</script>", "issuer": "A&B"}],
        indicators="not a list",
    )
    html = _change_page(client, committee, complete_draft)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A&amp;B" in html


def test_admin_of_an_empty_draft_has_no_tables(client, committee, draft):
    html = _change_page(client, committee, draft)
    assert "（无）" in html
    assert '{"' not in html
