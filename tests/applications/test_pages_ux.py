"""Issue 11 on the intake pages: what the enterprise and the office see and can do."""

import pytest
from django.test import Client

from accounts.models import User
from applications.models import ApplicationVersion

pytestmark = pytest.mark.unit


def test_the_demos_own_applications_have_their_pdf(db, django_capture_on_commit_callbacks):
    from programmes.demo import load_demo

    with django_capture_on_commit_callbacks(execute=True):
        load_demo(stage="apply")
    versions = ApplicationVersion.objects.select_related("application__organisation")
    assert versions.count() == 3
    assert all(v.pdf for v in versions)
    version = versions.get(application__organisation__users__username="greenmilk")
    client = Client()
    client.force_login(User.objects.get(username="greenmilk"))
    page = client.get(f"/applications/{version.application_id}/").content.decode()
    assert "PDF生成中" not in page
    assert "申报表PDF（第1版）" in page
    response = client.get(f"/applications/{version.application_id}/versions/1/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
