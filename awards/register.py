"""The public register of awards (issue 14 item 2, API.md "Trust that travels"): what other
systems (credit, procurement, bidding platforms) read without logging in, and mirror.

Two views of the same awards, both computed from the award rows at the moment of use:

- the **snapshot**: the awards valid today (``Award.is_valid_on(today)``: announced, not past
  ``valid_until``, not revoked), newest first. Its exact bytes are what
  ``/api/v1/public/register/`` serves without parameters and what the detached signature
  covers, so they are deterministic (sorted here, in Python, never by a database collation) and
  complete (never cut into pages); they carry ``as_of``, the day they speak for, so a signed
  snapshot replayed on a later day is recognisably old;
- the **changes** since a day: ``awarded`` on the announcement day (R12.8), ``expired`` on the
  day after ``valid_until`` (R6: valid through that day), ``revoked`` on the revocation day
  with the rule (R20 or R21). A change is listed when it happened on or after the day, or was
  *recorded* on or after it (``recorded_on``: an award from before the portal imported today
  appears in today's changes although it was announced years ago).

Expiry is read from the dates, not from the daily job's status change, so the register is
right even on a day the job has not run yet.

Nothing confidential goes out: no scores, no objectors, no contact persons, no revocation
reasons (only the rule), no case descriptions. ``PUBLIC_FIELDS`` and ``CHANGE_FIELDS`` are the
whole vocabulary; tests assert it.

The snapshot's bytes and their signature are cached (Django's cache: Redis when configured) under
the day and a generation token that every award event replaces after commit
(``invalidate_register``); a short timeout bounds what no event announces (a renamed
organisation).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from common.cache_versions import current_version, replace_version
from common.dates import today

from .enums import AwardStatus, CaseTrigger, Sanction
from .models import Award, Case, Certificate
from .public_cache import invalidate_public_pages

log = logging.getLogger(__name__)

PUBLIC_FIELDS = (
    "code",
    "serial",
    "organisation",
    "uscc",
    "programme",
    "year",
    "region",
    "division",
    "announced_on",
    "valid_until",
    "status",
)
CHANGE_FIELDS = ("change", "changed_on", "rule", "recorded_on")

EARLIEST = dt.date(1900, 1, 1)

AWARDED, EXPIRED, REVOKED = "awarded", "expired", "revoked"
CHANGE_KINDS = (AWARDED, EXPIRED, REVOKED)
# The rule each kind of change rests on; a revocation names its own (R20 fraud, R21 otherwise).
CHANGE_RULES = {AWARDED: "R12.8", EXPIRED: "R6"}

# Seconds the cached snapshot lives when no award event replaces it first; also the max-age
# the register is served with.
CACHE_SECONDS = 300
_GENERATION_KEY = "awards:register:generation"


class RegisterUnavailable(Exception):
    """The signing key cannot be loaded (misconfigured), so no signature can be made."""


# --- Reading ------------------------------------------------------------------------------------


def _awards():
    """Every award with what the register shows, in one query: the current certificate's
    serial and the rule of the case that revoked it come as subqueries."""
    serial = Certificate.objects.filter(award=OuterRef("pk"), superseded_at=None).values("serial")
    revoking = (
        Case.objects.filter(award=OuterRef("pk"), sanction=Sanction.REVOKE)
        .exclude(approved_at=None)
        .order_by("-approved_at")
        .values("trigger")
    )
    return Award.objects.select_related("organisation", "programme").annotate(
        current_serial=Subquery(serial[:1]), revoking_trigger=Subquery(revoking[:1])
    )


def status_on(award: Award, day: dt.date) -> str:
    """The award's status on ``day`` from its dates (R6), whether or not the daily job ran."""
    if award.status == AwardStatus.REVOKED:
        return AwardStatus.REVOKED
    if award.valid_until < day:
        return AwardStatus.EXPIRED
    return AwardStatus.ACTIVE


def _row(award: Award, day: dt.date) -> dict:
    org = award.organisation
    return {
        "code": award.code,
        "serial": award.current_serial,
        "organisation": org.name,
        "uscc": org.uscc,
        "programme": award.programme.name,
        "year": award.year,
        "region": org.region,
        "division": org.division_code,
        "announced_on": award.announced_on.isoformat(),
        "valid_until": award.valid_until.isoformat(),
        "status": status_on(award, day),
    }


def _snapshot_key(award: Award) -> tuple:
    return (
        -award.announced_on.toordinal(),
        award.organisation.uscc,
        award.programme.code,
        award.pk,
    )


def valid_rows(day: dt.date) -> list[dict]:
    """The awards valid on ``day``, newest announcement first (then USCC, programme)."""
    awards = [
        a
        for a in _awards()
        .filter(announced_on__lte=day, valid_until__gte=day)
        .exclude(status=AwardStatus.REVOKED)
    ]
    return [_row(a, day) for a in sorted(awards, key=_snapshot_key)]


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def _changes_of(award: Award, day: dt.date) -> list[dict]:
    """The award's changes up to ``day``: awarded, expired (the day after ``valid_until``,
    unless revoked before), revoked."""
    recorded = _local_day(award.created_at)
    out = [(AWARDED, award.announced_on, CHANGE_RULES[AWARDED], recorded)]
    revoked_on = None
    if award.status == AwardStatus.REVOKED:
        revoked_on = award.revoked_on or _local_day(award.updated_at)
    expiry = award.valid_until + dt.timedelta(days=1)
    if expiry <= day and (revoked_on is None or revoked_on > award.valid_until):
        out.append((EXPIRED, expiry, CHANGE_RULES[EXPIRED], max(expiry, recorded)))
    if revoked_on is not None:
        rule = None
        if award.revoking_trigger:
            rule = "R20" if award.revoking_trigger == CaseTrigger.FRAUD else "R21"
        out.append((REVOKED, revoked_on, rule, max(revoked_on, recorded)))
    row = _row(award, day)
    return [
        {**row, "change": kind, "changed_on": on.isoformat(), "rule": rule, "recorded_on": rec}
        for kind, on, rule, rec in out
    ]


def change_rows(since: dt.date, day: dt.date) -> list[dict]:
    """Every change that happened or was recorded on or after ``since`` (inclusive, so a
    client polling with the day of its last poll sees that day again: changes are identified
    by ``(code, change)``), oldest first."""
    # No award is older than the portal's first recorded year: an earlier day asks for all,
    # and is kept clear of the calendar's and the databases' edges (0001-01-01).
    since = max(since, EARLIEST)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    candidates = _awards().filter(
        Q(announced_on__gte=since)
        | Q(created_at__gte=start)
        | Q(valid_until__gte=since - dt.timedelta(days=1), valid_until__lt=day)
        | Q(revoked_on__gte=since)
        | Q(status=AwardStatus.REVOKED, revoked_on=None, updated_at__gte=start)
    )
    rows = []
    for award in candidates:
        for change in _changes_of(award, day):
            if change["changed_on"] >= since.isoformat() or change["recorded_on"] >= since:
                change["recorded_on"] = change["recorded_on"].isoformat()
                rows.append(change)
    order = {kind: i for i, kind in enumerate(CHANGE_KINDS)}
    rows.sort(key=lambda r: (r["changed_on"], order[r["change"]], r["uscc"], r["code"]))
    return rows


def last_modified(day: dt.date) -> dt.datetime:
    """When the register's representation last changed: its day began (``as_of`` is part of
    it) or, later, an award, its organisation, programme or certificate changed."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    found = Award.objects.aggregate(
        award=Max("updated_at"),
        organisation=Max("organisation__updated_at"),
        programme=Max("programme__updated_at"),
        certificate=Max("certificates__created_at"),
    )
    moments = [start, *(m for m in found.values() if m is not None)]
    return min(max(moments), timezone.now())


# --- Writing bytes ------------------------------------------------------------------------------


def render_json(payload: dict) -> bytes:
    """Compact UTF-8 JSON with the keys in the order given: the same data, the same bytes."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def render_csv(rows: list[dict], *, changes: bool) -> bytes:
    """CSV with a header row, UTF-8 with a byte-order mark (so Excel, which the offices and
    bidders open it with, reads the Chinese names; machines read it as ``utf-8-sig``), CRLF
    line ends (RFC 4180)."""
    fields = PUBLIC_FIELDS + (CHANGE_FIELDS if changes else ())
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in fields})
    return ("\ufeff" + out.getvalue()).encode()


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest() + '"'


@dataclass(frozen=True)
class Snapshot:
    as_of: dt.date
    body: bytes
    last_modified: dt.datetime

    @property
    def etag(self) -> str:
        return etag_of(self.body)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


def envelope(rows: list[dict], *, day: dt.date, since: dt.date | None = None, page=None) -> dict:
    """The list format of API.md (``count``, ``next``, ``previous``, ``results``) led by the
    day it speaks for. ``page`` is ``(count, next, previous)`` for a paginated answer."""
    count, next_url, previous = page if page else (len(rows), None, None)
    payload: dict = {"as_of": day.isoformat()}
    if since is not None:
        payload["changed_since"] = since.isoformat()
    payload.update(count=count, next=next_url, previous=previous, results=rows)
    return payload


def build_snapshot(day: dt.date) -> Snapshot:
    return Snapshot(
        as_of=day,
        body=render_json(envelope(valid_rows(day), day=day)),
        last_modified=last_modified(day),
    )


# --- The cache ----------------------------------------------------------------------------------


def _generation() -> str:
    return current_version(_GENERATION_KEY)


def _cache_key(day: dt.date, generation: str) -> str:
    return f"awards:register:snapshot:{day.isoformat()}:{generation}"


def current_snapshot() -> Snapshot:
    """Today's snapshot, from the cache when an earlier request built it since the last award
    event; built (two queries) otherwise. A cache that is down is passed by, not fatal."""
    day = today()
    try:
        key = _cache_key(day, _generation())
        found = cache.get(key)
    except Exception:
        log.warning("register cache unavailable", exc_info=True)
        return build_snapshot(day)
    if found is not None:
        return found
    snapshot = build_snapshot(day)
    try:
        cache.set(key, snapshot, timeout=CACHE_SECONDS)
    except Exception:
        log.warning("register cache unavailable", exc_info=True)
    return snapshot


def invalidate_register() -> None:
    """After the current transaction commits, the cached snapshot is no longer read (a new
    generation token). Called by every service that announces, records, re-issues, revokes
    or expires an award."""

    def bump():
        try:
            replace_version(_GENERATION_KEY)
        except Exception:
            log.warning("register cache not invalidated", exc_info=True)

    transaction.on_commit(bump)
    invalidate_public_pages()


# --- The signature ------------------------------------------------------------------------------


def _signer():
    """The certificates' signing module (issue 14 item 1; imported when first needed: it
    loads the cryptography stack)."""
    from signing import keys  # noqa: PLC0415

    return keys


def _signing(call):
    try:
        return call(_signer())
    except ImproperlyConfigured as exc:
        log.error("register signing key unavailable: %s", exc)
        raise RegisterUnavailable from exc


def sign_detached(data: bytes) -> bytes:
    """A detached CMS signature (DER) over ``data`` with the certificates' key."""
    return _signing(lambda keys: keys.sign_cms_detached(data))


def signer_certificate_pem() -> bytes:
    """The signer's certificate (and its chain), PEM, to verify the register's signature with."""
    return _signing(lambda keys: keys.signer_certificate_pem())


def snapshot_signature(snapshot: Snapshot) -> bytes:
    """The signature of exactly ``snapshot.body``, cached with it (a signature carries its
    signing time, so a second one would differ in bytes while saying the same)."""
    key = f"awards:register:signature:{snapshot.sha256}"
    try:
        found = cache.get(key)
    except Exception:
        found = None
    if found is not None:
        return found
    signature = sign_detached(snapshot.body)
    try:
        cache.set(key, signature, timeout=CACHE_SECONDS)
    except Exception:
        log.warning("register cache unavailable", exc_info=True)
    return signature


def signer_fingerprint() -> str | None:
    """The SHA-256 fingerprint of the signer's certificate (``AA:BB:…``, as ``openssl x509
    -fingerprint -sha256`` prints it), for integrators to pin; ``None`` without a key."""
    try:
        digest = _signing(lambda keys: keys.certificate_fingerprint()).upper()
    except RegisterUnavailable:
        return None
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))
