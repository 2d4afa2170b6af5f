"""The audit trail (R4): append-only and tamper-evident."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from common import audit
from common.models import GENESIS_HASH, AuditEntry, AuditImmutableError

pytestmark = pytest.mark.unit


@pytest.fixture
def entries(programme, office):
    return [
        audit.record(
            action="test.step",
            actor=office,
            obj=programme,
            from_state=str(i),
            to_state=str(i + 1),
            reason=f"理由{i}",
            data={"n": i},
        )
        for i in range(3)
    ]


def test_audit_entries_chain_their_hashes_R4(entries):
    first, second, third = entries
    assert first.seq == 1
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert third.hash == third.compute_hash()
    assert third.actor_role == "office"
    assert third.actor_name == "office1"


def test_audit_entry_cannot_be_changed_or_deleted_through_the_orm(entries):
    entry = entries[0]
    entry.reason = "改过的理由"
    with pytest.raises(AuditImmutableError):
        entry.save()
    with pytest.raises(AuditImmutableError):
        entry.delete()
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "理由0"


def test_audit_database_refuses_an_update_by_raw_sql(entries):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE common_auditentry SET reason = 'x' WHERE id = %s", [entries[0].pk])


def _bypass_trigger(cursor):
    """Simulate someone with direct database access, past the append-only trigger."""
    if connection.vendor == "postgresql":
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush pending FK checks first
        cursor.execute("ALTER TABLE common_auditentry DISABLE TRIGGER common_auditentry_no_update")
    else:
        cursor.execute("DROP TRIGGER common_auditentry_no_update")


def test_verify_audit_reports_the_first_modified_entry(entries, capsys):
    call_command("verify_audit")
    assert "审计链完好" in capsys.readouterr().out
    with connection.cursor() as cursor:
        _bypass_trigger(cursor)
        cursor.execute("UPDATE common_auditentry SET reason = 'x' WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit")
    assert f"第 {entries[1].seq} 条" in str(excinfo.value)
    assert "被修改" in str(excinfo.value)


def test_verify_audit_reports_a_deleted_entry(entries):
    with connection.cursor() as cursor:
        _bypass_trigger(cursor)
        cursor.execute("DELETE FROM common_auditentry WHERE id = %s", [entries[1].pk])
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at == entries[2].seq
    assert "删除" in report.problem


def test_verify_audit_reports_a_deleted_last_entry(entries):
    with connection.cursor() as cursor:
        _bypass_trigger(cursor)
        cursor.execute("DELETE FROM common_auditentry WHERE id = %s", [entries[2].pk])
    report = audit.verify_chain()
    assert report.broken_at == entries[2].seq


def test_audit_entry_rolls_back_with_its_transaction(programme):
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(action="test.rollback", obj=programme)
        raise RuntimeError
    assert AuditEntry.objects.count() == before
    assert audit.verify_chain().ok


def test_audit_admin_is_read_only(admin_client, entries):
    response = admin_client.get(f"/admin/common/auditentry/{entries[0].pk}/change/")
    assert response.status_code == 200
    assert b'name="reason"' not in response.content
    response = admin_client.post(
        f"/admin/common/auditentry/{entries[0].pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entries[0].pk).exists()
    assert admin_client.get("/admin/common/auditentry/add/").status_code == 403
