import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from accounts.models import User
from applications.services.documents import upload_document
from applications.services.drafting import create_application, save_form
from applications.services.submission import submit_application
from common import audit
from common.backup import MANIFEST, MANIFEST_HASH, counted_models, media_names
from demo.stages import EVIDENCE
from demo.world import load_demo
from programmes.models import Cycle
from tests.applications.conftest import complete_form, pdf_upload
from tests.factories import default_criteria_set, ensure_divisions, staff_user


def database_rows() -> dict[str, list[dict]]:
    """Every row of every backed-up table (many-to-many tables too), in key order."""
    return {
        label: list(model._base_manager.order_by("pk").values())
        for label, model in counted_models().items()
    }


def media_files() -> dict[str, bytes]:
    files = {}
    for name in media_names(default_storage):
        with default_storage.open(name, "rb") as f:
            files[name] = f.read()
    return files


def wipe_installation() -> None:
    """What a new server holds after `migrate`: content types, permissions, role groups and the
    GB/T 19580 criteria set (the data migration's), no other row, no media file."""
    call_command("flush", interactive=False, verbosity=0)
    default_criteria_set()
    ensure_divisions()
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def rewrite_archive(src: Path, dst: Path, edit, *, rehash: bool = False) -> None:
    """Copy an archive, passing each member's bytes through ``edit(name, data)``. With
    ``rehash`` the manifest is brought in line with the edits, as a careful forger would."""
    with tarfile.open(src, "r:gz") as tar:
        members = [(m.name, tar.extractfile(m).read()) for m in tar.getmembers()]
    members = [(name, edit(name, data)) for name, data in members]
    if rehash:
        contents = dict(members)
        manifest = json.loads(contents[MANIFEST])
        for entry in manifest["files"]:
            entry["size"] = len(contents[entry["name"]])
            entry["sha256"] = hashlib.sha256(contents[entry["name"]]).hexdigest()
        contents[MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
        contents[MANIFEST_HASH] = hashlib.sha256(contents[MANIFEST]).hexdigest().encode()
        members = [(name, contents[name]) for name, _ in members]
    with tarfile.open(dst, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.fixture
def complete_installation(transactional_db, client):
    """The demo taken to the award (applications, evidence, scores, on-site reviews, decisions,
    certificates rendered by the task after commit, the audit trail), plus this year's
    application submitted with its evidence and its rendered PDF, an API token and a session."""
    default_criteria_set()  # gone when an earlier transactional test flushed the database
    load_demo(stage="awarded")
    hospital = User.objects.get(username="hospital")
    cycle = Cycle.objects.filter(programme__code="etkqq").order_by("-year").first()
    app = create_application(organisation=hospital.organisation, cycle=cycle, actor=hospital)
    save_form(application=app, data=complete_form(app), actor=hospital)
    upload_document(
        application=app,
        upload=pdf_upload("医疗机构执业许可证.pdf"),
        kind="management_system",
        actor=hospital,
    )
    submit_application(application=app, actor=hospital)
    office = User.objects.get(username="office")
    Token.objects.create(user=office)
    client.force_login(office)
    return app


@pytest.fixture
def small_installation(programme):
    """A few rows, three audit entries and two files: enough for the refusals."""
    office = staff_user("office", programme=programme, username="office1")
    for i in range(3):
        audit.record(action="test.step", actor=office, obj=programme, reason=f"理由{i}")
    default_storage.save("evidence/1/a1b2c3", ContentFile(EVIDENCE))
    default_storage.save("certificates/TEST-2026-001.pdf", ContentFile(EVIDENCE + b"%cert\n"))
    return office
