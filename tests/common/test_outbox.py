"""Side effects after commit are independent, retried and visible (issue 8, item 4).

The original defect: a newline in one organisation's name made the notification e-mail raise
inside an on-commit hook; the caller got a 500, later hooks did not run, and the certificates
of the whole cycle stayed empty.
"""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from award_portal.celery import app as celery_app
from awards.models import Certificate
from awards.services.publicity import announce_cycle
from common import outbox
from common.models import AuditEntry, OutboxMessage, OutboxStatus
from notifications.models import Notification
from notifications.services import notify
from organisations.models import Organisation
from tests.factories import (
    ApplicationFactory,
    CycleFactory,
    EnterpriseUserFactory,
    OrganisationFactory,
    OutboxMessageFactory,
    staff_user,
)
from tests.queries import exactly

pytestmark = [pytest.mark.unit, pytest.mark.django_db]


@pytest.fixture
def cycle_in_publicity(programme):
    """Three winners whose publicity ended yesterday; the second organisation's name holds a
    newline (a row from before names were checked)."""
    day = timezone.localdate()
    cycle = CycleFactory(
        programme=programme,
        year=day.year,
        opens_on=day - dt.timedelta(days=200),
        submission_deadline=day - dt.timedelta(days=150),
        recommendation_deadline=day - dt.timedelta(days=120),
        decided_at=timezone.now() - dt.timedelta(days=12),
        publicity_starts_on=day - dt.timedelta(days=10),
        publicity_ends_on=day - dt.timedelta(days=1),
    )
    for n in range(3):
        org = OrganisationFactory(name=f"获奖企业{n}有限公司", rating=True)
        EnterpriseUserFactory(organisation=org, email=f"winner{n}@example.com")
        ApplicationFactory(
            cycle=cycle, organisation=org, status=S.PUBLICITY, submitted_at=timezone.now()
        )
    bad = Organisation.objects.get(name="获奖企业1有限公司")
    Organisation.objects.filter(pk=bad.pk).update(name="获奖企业1\n有限公司")
    return cycle


def test_a_newline_in_a_name_breaks_no_ones_certificate_issue8_item4(
    cycle_in_publicity, government, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        awards = announce_cycle(cycle=cycle_in_publicity, actor=government)
    assert len(awards) == 3
    certificates = Certificate.objects.filter(award__in=awards)
    assert [bool(c.pdf) for c in certificates] == [True, True, True]
    # Every winner was told, each subject on one line.
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 3
    assert all("\n" not in s for s in subjects)
    assert any("获奖企业1 有限公司" in s for s in subjects)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DONE}


def test_one_failing_job_stops_no_other_and_waits_for_a_retry_issue8_item4(
    cycle_in_publicity, government, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.common.mail_backends.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        awards = announce_cycle(cycle=cycle_in_publicity, actor=government)
    # The mail server is down: the announcement stands and the certificates are made.
    assert [bool(c.pdf) for c in Certificate.objects.filter(award__in=awards)] == [True] * 3
    mails = OutboxMessage.objects.filter(task="notifications.send_emails")
    assert mails.count() == 3
    for job in mails:
        assert (job.status, job.attempts) == (OutboxStatus.PENDING, 1)
        assert job.last_error.startswith("ConnectionRefusedError")
        assert job.next_attempt_at > timezone.now()
    assert Notification.objects.filter(emailed=True).count() == 0
    # The mail server is back: the periodic flush sends them, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.flush(now=timezone.now()) == 0  # not due yet
    assert outbox.flush(now=timezone.now() + dt.timedelta(minutes=5)) == 3
    assert set(mails.values_list("status", flat=True)) == {OutboxStatus.DONE}
    assert len(mail.outbox) == 3
    assert outbox.flush(now=timezone.now() + dt.timedelta(hours=5)) == 0
    assert len(mail.outbox) == 3


def test_a_job_that_keeps_failing_ends_failed_for_the_office(settings, office, programme):
    settings.EMAIL_BACKEND = "tests.common.mail_backends.RefusingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 2
    user = EnterpriseUserFactory(email="ent@example.com")
    with transaction.atomic():
        notify(recipients=[user], subject="测试", body="正文", programme_id=programme.pk)
        (job,) = OutboxMessage.objects.all()
    outbox.dispatch(job.pk)
    outbox.dispatch(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.next_attempt_at) == (OutboxStatus.FAILED, 2, None)
    assert outbox.flush(now=timezone.now() + dt.timedelta(days=1)) == 0  # the office decides


def test_subject_of_a_notification_is_one_line():
    user = EnterpriseUserFactory(email="ent@example.com")
    (note,) = notify(recipients=[user], subject="甲\r\n乙\t丙", body="正文")
    assert note.subject == "甲 乙 丙"


def _use_broker(url: str, *, eager: bool) -> None:
    celery_app.conf.update(task_always_eager=eager, broker_url=url)
    celery_app._pool = None  # connections are pooled per broker: start a new pool
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """The task queue's broker is unreachable (nothing listens on port 9)."""
    eager, broker = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    _use_broker("redis://127.0.0.1:9/0", eager=False)
    yield
    _use_broker(broker, eager=eager)


def test_a_broker_that_is_down_keeps_the_job_pending_issue8_item4(client, broker_down):
    """With the queue unreachable the request that caused the job still succeeds; the job
    waits and runs once the queue is back."""
    user = EnterpriseUserFactory(email="ent@example.com")
    with transaction.atomic():
        notify(recipients=[user], subject="测试", body="正文")
        (job,) = OutboxMessage.objects.all()
    assert outbox.dispatch(job.pk) == OutboxStatus.PENDING
    assert client.get("/").status_code == 200  # pages keep working
    _use_broker("memory://", eager=True)  # the broker is back (run here, eagerly)
    job.refresh_from_db()
    assert job.status == OutboxStatus.PENDING
    assert "Error" in job.last_error
    assert outbox.flush(now=timezone.now() + dt.timedelta(minutes=5)) == 1
    job.refresh_from_db()
    assert job.status == OutboxStatus.DONE
    assert [m.to for m in mail.outbox] == [["ent@example.com"]]


def test_a_job_handed_over_but_never_done_is_handed_over_again(settings):
    """A worker killed mid-task never reports back: after OUTBOX_STALE_SECONDS the job goes
    out again (every task is idempotent)."""
    user = EnterpriseUserFactory(email="ent@example.com")
    (note,) = notify(recipients=[user], subject="测试", body="正文")
    (job,) = OutboxMessage.objects.all()
    OutboxMessage.objects.filter(pk=job.pk).update(
        status=OutboxStatus.QUEUED, attempts=1, queued_at=timezone.now()
    )
    assert outbox.flush(now=timezone.now()) == 0
    later = timezone.now() + dt.timedelta(seconds=settings.OUTBOX_STALE_SECONDS + 1)
    assert outbox.flush(now=later) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (OutboxStatus.DONE, 2)
    note.refresh_from_db()
    assert note.emailed


# --- the office's page of background jobs ------------------------------------------------


@pytest.fixture
def failed_job(programme):
    return OutboxMessageFactory(
        task="notifications.send_emails",
        kwargs={"notification_ids": []},
        label="邮件通知（1封）：测试",
        programme_id=programme.pk,
        status=OutboxStatus.FAILED,
        attempts=6,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )


def test_office_sees_failed_jobs_and_retries_them(client, office, failed_job):
    client.force_login(office)
    page = client.get(reverse("notifications:jobs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "邮件通知（1封）：测试" in html
    assert "SMTPServerDisconnected" in html
    dashboard = client.get(reverse("review:dashboard")).content.decode()
    assert reverse("notifications:jobs") in dashboard
    response = client.post(reverse("notifications:job_retry", args=[failed_job.pk]))
    assert response.status_code == 302
    failed_job.refresh_from_db()
    assert failed_job.status == OutboxStatus.DONE
    entry = AuditEntry.objects.get(action="outbox.retried")
    assert (entry.actor, entry.from_state, entry.to_state) == (office, "failed", "pending")
    # A second click (double submission) changes nothing more.
    client.post(reverse("notifications:job_retry", args=[failed_job.pk]))
    assert AuditEntry.objects.filter(action="outbox.retried").count() == 1


@pytest.mark.parametrize(
    ("role", "list_status", "retry_status"),
    [
        ("supervisor", 200, 403),
        ("committee", 403, 403),
        ("government", 403, 403),
        ("expert", 403, 403),
    ],
)
def test_jobs_page_permissions_per_role(
    client, failed_job, request, role, list_status, retry_status
):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("notifications:jobs")).status_code == list_status
    response = client.post(reverse("notifications:job_retry", args=[failed_job.pk]))
    assert response.status_code == retry_status
    failed_job.refresh_from_db()
    assert failed_job.status == OutboxStatus.FAILED


def test_jobs_page_refuses_enterprises_and_anonymous(client, failed_job, enterprise_user):
    assert client.get(reverse("notifications:jobs")).status_code == 302  # to the login page
    client.force_login(enterprise_user)
    assert client.get(reverse("notifications:jobs")).status_code == 403


def test_another_programmes_office_does_not_see_our_jobs(client, failed_job):
    from tests.factories import ProgrammeFactory

    other = staff_user("office", programme=ProgrammeFactory(code="other"))
    client.force_login(other)
    assert (
        "SMTPServerDisconnected" not in client.get(reverse("notifications:jobs")).content.decode()
    )
    response = client.post(reverse("notifications:job_retry", args=[failed_job.pk]))
    assert response.status_code == 404


def test_retry_of_an_unknown_job_is_404(client, office):
    client.force_login(office)
    assert client.post(reverse("notifications:job_retry", args=[999999])).status_code == 404


@pytest.mark.parametrize("item_count", [1, 3])
def test_jobs_page_costs_a_constant_number_of_queries(client, office, programme, item_count):
    for n in range(item_count):
        OutboxMessageFactory(
            task="awards.render_certificate",
            label=f"证书{n}",
            programme_id=programme.pk,
            status=OutboxStatus.FAILED,
            attempts=6,
        )
    client.force_login(office)
    # session, user, two-factor device and rule, programmes, jobs; the session kept alive
    with exactly(11):
        assert client.get(reverse("notifications:jobs")).status_code == 200
