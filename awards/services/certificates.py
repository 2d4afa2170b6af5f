"""Certificates: issued rows copied from the award at issue time, rendered to PDF by a worker
(idempotent: one certificate, one serial, whatever the number of runs or crashes)."""

from __future__ import annotations

import hashlib
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from common import audit, outbox
from common.exceptions import ApplicationError, StateConflict
from common.pdf import render_pdf
from programmes.models import Programme
from signing.pdf import sign_pdf

from ..models import Award, Certificate
from ..register import invalidate_register


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL}{reverse('awards:verify', args=[code])}"


def _next_serial(programme: Programme, year: int) -> str:
    """``<CODE>-<year>-<nnn>``, counting every certificate of the programme and year, under the
    programme's row lock so concurrent issues never share a number."""
    Programme.objects.select_for_update().get(pk=programme.pk)
    prefix = f"{programme.code.upper()}-{year}-"
    used = Certificate.objects.filter(serial__startswith=prefix).count()
    return f"{prefix}{used + 1:03d}"


def _new_certificate(award: Award, replaces: Certificate | None = None) -> Certificate:
    invalidate_register()  # the register shows the current certificate's serial
    return Certificate.objects.create(
        award=award,
        serial=_next_serial(award.programme, award.year),
        organisation_name=award.organisation.name,
        uscc=award.organisation.uscc,
        programme_name=award.programme.name,
        government_name=award.programme.government_name,
        year=award.year,
        announced_on=award.announced_on,
        valid_until=award.valid_until,
        verification_code=award.code,
        replaces=replaces,
    )


def _enqueue(certificate: Certificate) -> None:
    outbox.enqueue(
        "awards.render_certificate",
        certificate_id=certificate.pk,
        label=f"证书 {certificate.serial}：{certificate.organisation_name}",
        programme_id=certificate.award.programme_id,
    )


@transaction.atomic
def queue_certificates(*, awards: list[Award], actor) -> list[Certificate]:
    """Create the certificate row of each award that has none, and render them after commit."""
    created = []
    for award in awards:
        if award.certificates.filter(superseded_at=None).exists():
            continue
        certificate = _new_certificate(award)
        audit.record(
            action="certificate.queued", actor=actor, obj=award, data={"serial": certificate.serial}
        )
        _enqueue(certificate)
        created.append(certificate)
    return created


@transaction.atomic
def reissue_certificate(
    *, award: Award, reason: str, actor, replaces_id: int | None = None
) -> Certificate:
    """A new certificate (new serial) replacing the current one, e.g. after a change of name.
    The old one stays on record, marked superseded.

    ``replaces_id`` is the certificate the person saw when asking (the form carries it): a
    second submission of the same request, or one racing it, finds that certificate already
    replaced and gets the replacement instead of a further serial (idempotent per request).
    """
    if not (reason or "").strip():
        raise ApplicationError(gettext("请写明补发理由。"), field="reason")
    award = (
        Award.objects.select_for_update()
        .select_related("organisation", "programme")
        .get(pk=award.pk)
    )
    if award.status == "revoked":
        raise StateConflict(gettext("奖项已撤销，不能补发证书。"))
    current = award.certificates.filter(superseded_at=None).first()
    if replaces_id is not None and (current is None or current.pk != replaces_id):
        if current is not None and current.replaces_id == replaces_id:
            return current  # this request was already carried out
        raise StateConflict(gettext("证书已有变动，请刷新页面后再操作。"))
    if current is not None:
        current.superseded_at = timezone.now()
        current.save(update_fields=["superseded_at"])
    certificate = _new_certificate(award, replaces=current)
    audit.record(
        action="certificate.reissued",
        actor=actor,
        obj=award,
        reason=reason,
        data={"serial": certificate.serial, "replaces": current.serial if current else None},
    )
    _enqueue(certificate)
    return certificate


def qr_svg(url: str) -> str:
    import segno  # noqa: PLC0415 - only needed when rendering

    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=4, border=1, xmldecl=False, svgns=True, dark="#111"
    )
    return buffer.getvalue().decode()


def render_certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as issued: rendered, then signed (PAdES) with the government's key over
    the whole file, so any PDF reader shows it intact or broken (issue 14). The embedded
    keywords carry the verification code, by which an uploaded copy finds its award."""
    url = verification_url(certificate.verification_code)
    rendered = render_pdf(
        "awards/pdf/certificate.html", {"c": certificate, "url": url, "qr": qr_svg(url)}
    )
    return sign_pdf(
        rendered,
        reason=gettext("%(programme)s证书 %(serial)s")
        % {"programme": certificate.programme_name, "serial": certificate.serial},
        location=certificate.government_name,
    )


def render(*, certificate_id: int) -> Certificate | None:
    """Render and store the PDF once. Returns the certificate, or None if it is gone. A second
    run, or a run after a crash between rendering and saving, finds the PDF or renders it
    again into the same row: one certificate, one serial."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None or certificate.pdf:
        return certificate
    content = render_certificate_pdf(certificate)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate_id)
        if locked.pdf:
            return locked
        locked.sha256 = hashlib.sha256(content).hexdigest()
        locked.pdf.save(f"{locked.serial}.pdf", ContentFile(content), save=False)
        locked.rendered_at = timezone.now()
        locked.save(update_fields=["pdf", "sha256", "rendered_at"])
        audit.record(
            action="certificate.rendered",
            obj=locked.award,
            data={"serial": locked.serial, "sha256": locked.sha256},
        )
        return locked


def progress(awards) -> tuple[int, int]:
    """(rendered, total) of the current certificates of these awards, in one query."""
    counts = Certificate.objects.filter(award__in=awards, superseded_at=None).aggregate(
        done=Count("pk", filter=~Q(pdf="")), total=Count("pk")
    )
    return counts["done"], counts["total"]
