"""The benchmark's data, generated in bulk from a seeded random generator (issue 12).

Every programme runs ``cycles`` yearly cycles of ``applications`` entries each. Past cycles are
complete: 10 entries end before the review (declined, ineligible, withdrawn), 20 are scored at
the document stage by 3 experts, the best 4 are scored on site by 3 more, and the best 2 or 3
are awarded (with a certificate row and the money owed). The latest cycle of each programme
stands in one of three phases (publicity, on-site review, document review), so every page has
something current to show. Each application's steps are in the audit trail, whose hash chain is
computed here exactly as ``common.audit.record`` computes it, one entry after another.

The same scale always yields the same rows (names, scores, codes); only the wall-clock
timestamps Django fills in (``auto_now_add``) differ between runs.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

PREFIX = "bench-"
PASSWORD = "bench-password-2026"  # noqa: S105 - the benchmark's own throwaway users


@dataclass(frozen=True)
class Scale:
    name: str
    programmes: int
    cycles: int
    applications: int = 30
    organisations: int = 45  # per programme: the same organisations apply again over the years
    experts: int = 8  # per programme


SCALES = {
    "county": Scale("county", programmes=1, cycles=3),
    "city": Scale("city", programmes=10, cycles=5),
    "province": Scale("province", programmes=150, cycles=10),
}

BATCH = 5000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
WORDS = "恒泰华盛瑞丰鑫源宏达金诚永安博远通益信和兴隆德润嘉禾新元天成汇丰广聚同创"
TRADES = [
    ("乳制品", "乳业"),
    ("能源化工", "能源"),
    ("纺织服装", "羊绒制品"),
    ("建材", "建材"),
    ("农牧业", "农牧"),
    ("装备制造", "机械"),
    ("食品加工", "食品"),
    ("医药", "药业"),
]


def _utc(day: dt.date, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(2, 0), tzinfo=dt.UTC) + dt.timedelta(minutes=minute)


class _Audit:
    """Entries collected while seeding, chained (seq, prev_hash, hash) once at the end in the
    order of their time, as the real trail would have been written."""

    def __init__(self):
        self.rows: list[tuple] = []

    def add(self, when, actor, action, obj_ct, obj_id, repr_, from_state="", to_state="", **data):
        self.rows.append(
            (when, len(self.rows), actor, action, obj_ct, obj_id, repr_, from_state, to_state, data)
        )

    def write(self) -> int:
        from common.models import GENESIS_HASH, AuditChainHead, AuditEntry

        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        seq, prev = head.last_seq, head.last_hash if head.last_seq else GENESIS_HASH
        self.rows.sort(key=lambda r: (r[0], r[1]))
        batch = []
        for when, _n, actor, action, ct, obj_id, repr_, from_state, to_state, data in self.rows:
            seq += 1
            entry = AuditEntry(
                seq=seq,
                created_at=when,
                actor_id=actor.pk if actor else None,
                actor_name=actor.username if actor else "system",
                actor_role="office" if actor else "system",
                content_type=ct,
                object_id=str(obj_id),
                object_repr=repr_[:255],
                action=action,
                from_state=from_state,
                to_state=to_state,
                reason="",
                data=data,
                prev_hash=prev,
            )
            entry.hash = prev = entry.compute_hash()
            batch.append(entry)
            if len(batch) >= BATCH:
                AuditEntry.objects.bulk_create(batch)
                batch = []
        AuditEntry.objects.bulk_create(batch)
        head.last_seq, head.last_hash = seq, prev
        head.save(update_fields=["last_seq", "last_hash"])
        return len(self.rows)


def _copy_scores(scores: list) -> int:
    """Item scores, the seed's largest table (2.5 million rows at province scale), through
    PostgreSQL's COPY: several times faster than ``bulk_create``'s INSERTs. Other databases
    (the tests' SQLite) take ``bulk_create``."""
    from django.db import connection
    from django.utils import timezone

    from review.models import ItemScore

    if connection.vendor != "postgresql":
        return len(_bulk(ItemScore, scores))
    now = timezone.now()
    table = ItemScore._meta.db_table
    columns = "assignment_id, item_id, percent, strengths, improvements, updated_at"
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for s in scores:
            copy.write_row((s.assignment_id, s.item_id, s.percent, s.strengths, "", now))
    return len(scores)


def _bulk(model, objs: list) -> list:
    out = []
    for i in range(0, len(objs), BATCH):
        out += model.objects.bulk_create(objs[i : i + BATCH])
    return out


def _uscc(division: str, serial: int) -> str:
    from organisations.uscc import check_character

    body = f"91{division}MA{serial:07d}"
    return body + check_character(body)


def _code(rng: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return "".join(rng.choice(alphabet) for _ in range(20))


def has_foreign_data() -> str:
    """Why this database must not be seeded, or "": anything not made by the benchmark."""
    from accounts.models import User
    from programmes.models import Programme

    if Programme.objects.exclude(code__startswith=PREFIX).exists():
        return "it holds programmes not made by the benchmark"
    if User.objects.exclude(username__startswith=PREFIX).exists():
        return "it holds users not made by the benchmark"
    return ""


@transaction.atomic
def seed(scale: Scale, *, seed_value: int = 12, today: dt.date | None = None, log=print) -> dict:
    """Fill an empty (migrated) database with ``scale``'s data; returns the row counts."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    from accounts.enums import RecommenderLevel, Role
    from accounts.models import ProgrammeMembership, User
    from applications.enums import ApplicationStatus as S
    from applications.models import Application, ApplicationVersion, Recommendation
    from awards.enums import AwardStatus, LedgerEntryKind
    from awards.models import Award, Certificate, LedgerEntry
    from common.dates import today as local_today
    from organisations.models import Organisation
    from programmes.enums import CycleStatus
    from programmes.models import CriteriaSet, Cycle, Programme
    from programmes.rule_settings import RuleSettings
    from programmes.selectors import criteria_items
    from regions.models import Division
    from review.enums import AssignmentStatus, RespondentKind, Stage
    from review.models import Assignment, ExpertProfile, ItemScore, SiteVisit, SurveyResponse
    from review.scores import sheet_totals

    if reason := has_foreign_data():
        raise RuntimeError(f"refusing to seed: {reason}")
    # Seeding again adds programmes after those already there (the query-count tests grow the
    # data this way); the shared staff are made once.
    first = Programme.objects.count()
    started = time.monotonic()
    rng = random.Random(seed_value + first)  # noqa: S311 - reproducible data, not secrets
    day0 = today or local_today()
    audit = _Audit()
    criteria = CriteriaSet.objects.get(code="GB/T 19580-2012")
    items = criteria_items(criteria)
    ct_app = ContentType.objects.get_for_model(Application)
    ct_award = ContentType.objects.get_for_model(Award)
    groups = {r: Group.objects.get_or_create(name=r)[0] for r in Role.values}
    password = make_password(PASSWORD)

    def user(username, name, roles, **extra):
        u = User(username=f"{PREFIX}{username}", name=name, password=password, **extra)
        return u, roles

    staff = [
        user("office", "基准办公室", [Role.OFFICE], all_programmes=True, is_staff=True),
        user("committee", "基准委员会", [Role.COMMITTEE], all_programmes=True, is_staff=True),
        user("supervisor", "基准监察", [Role.SUPERVISOR], all_programmes=True),
        user("government", "基准政府", [Role.GOVERNMENT], all_programmes=True),
        user(
            "industry",
            "基准行业主管部门",
            [Role.RECOMMENDER],
            all_programmes=True,
            recommender_level=RecommenderLevel.INDUSTRY,
            industries=",".join(t for t, _ in TRADES),
        ),
        user(
            "leadgroup",
            "基准领导小组",
            [Role.RECOMMENDER],
            all_programmes=True,
            recommender_level=RecommenderLevel.LEADING_GROUP,
        ),
    ]
    if first:
        staff = []
    counties = list(
        Division.objects.filter(level="county").order_by("code")[first : first + scale.programmes]
    )
    programmes = _bulk(
        Programme,
        [
            Programme(
                code=f"{PREFIX}p{i:03d}",
                name=f"{d.name}质量奖",
                region=d.code,
                government_name=f"{d.name}人民政府",
                office_name=f"{d.name}质量奖评审委员会办公室",
                criteria_set=criteria,
            )
            for i, d in enumerate(counties, start=first)
        ],
    )
    experts_of: dict[int, list] = {}
    for p_index, programme in enumerate(programmes, start=first):
        experts_of[programme.pk] = []
        for e in range(scale.experts):
            name = rng.choice(SURNAMES) + rng.choice(WORDS) + rng.choice(WORDS)
            staff.append(user(f"expert-p{p_index:03d}-{e}", name, [Role.EXPERT]))
    users = _bulk(User, [u for u, _ in staff])
    through = User.groups.through
    _bulk(
        through,
        [
            through(user_id=u.pk, group_id=groups[r].pk)
            for u, (_, roles) in zip(users, staff, strict=True)
            for r in roles
        ],
    )
    by_name = {u.username.removeprefix(PREFIX): u for u in users}
    if first:
        by_name.update(
            (u.username.removeprefix(PREFIX), u)
            for u in User.objects.filter(
                username__in=[f"{PREFIX}{n}" for n in ("office", "industry", "leadgroup")]
            )
        )
    office = by_name["office"]
    industry, leadgroup = by_name["industry"], by_name["leadgroup"]
    memberships, profiles = [], []
    for p_index, programme in enumerate(programmes, start=first):
        for e in range(scale.experts):
            expert = by_name[f"expert-p{p_index:03d}-{e}"]
            experts_of[programme.pk].append(expert)
            memberships.append(ProgrammeMembership(user=expert, programme=programme))
            trade = TRADES[(p_index + e) % len(TRADES)][0]
            profiles.append(
                ExpertProfile(
                    user=expert,
                    qualifications="全国质量奖评审员",
                    industries=f"{trade},{TRADES[(p_index + e + 3) % len(TRADES)][0]}",
                    employer=f"{programme.name}专家库",
                    term_starts_on=day0 - dt.timedelta(days=365 * scale.cycles),
                    term_ends_on=day0 + dt.timedelta(days=365 * 2),
                    pledge_accepted_at=_utc(day0 - dt.timedelta(days=400)),
                )
            )
    _bulk(ProgrammeMembership, memberships)
    _bulk(ExpertProfile, profiles)

    orgs = []
    for p_index, programme in enumerate(programmes, start=first):
        for o in range(scale.organisations):
            trade, word = TRADES[rng.randrange(len(TRADES))]
            county = counties[p_index - first].name
            name = f"{county}{rng.choice(WORDS)}{rng.choice(WORDS)}{word}有限公司"
            orgs.append(
                Organisation(
                    name=name,
                    uscc=_uscc(programme.region, p_index * 1000 + o),
                    kind="enterprise",
                    region=counties[p_index - first].name,
                    division_id=programme.region,
                    registered_on=day0 - dt.timedelta(days=365 * 12 + rng.randrange(3000)),
                    industry=trade,
                    contact_name="质量部",
                    contact_phone=f"139{p_index:04d}{o:04d}",
                    credit_grade="A",
                    credit_grade_source="市场监督管理局质量信用评价",
                    credit_grade_on=day0 - dt.timedelta(days=800),
                )
            )
    orgs = _bulk(Organisation, orgs)
    orgs_of = {
        p.pk: orgs[i * scale.organisations : (i + 1) * scale.organisations]
        for i, p in enumerate(programmes)
    }

    # --- cycles ------------------------------------------------------------------------------
    cycles, plan = [], []
    for p_index, programme in enumerate(programmes, start=first):
        snapshot = RuleSettings.of(programme).snapshot()
        for back in range(scale.cycles - 1, -1, -1):
            base = day0 - dt.timedelta(days=365 * back)
            latest = back == 0
            phase = ("publicity", "onsite", "document")[p_index % 3] if latest else "closed"
            cycle = Cycle(
                programme=programme,
                year=day0.year - back,
                criteria_set=criteria,
                opens_on=base - dt.timedelta(days=150),
                submission_deadline=base - dt.timedelta(days=90),
                recommendation_deadline=base - dt.timedelta(days=80),
                document_review_deadline=base - dt.timedelta(days=50),
                onsite_review_deadline=base - dt.timedelta(days=20),
                settings_snapshot=snapshot,
            )
            if phase in ("publicity", "closed"):
                cycle.decided_at = _utc(base - dt.timedelta(days=5))
                cycle.decision_rationale = "按综合得分排序，择优推荐。"
                cycle.publicity_starts_on = base - dt.timedelta(days=3)
                cycle.publicity_ends_on = base + dt.timedelta(days=4)
            if phase == "closed":
                cycle.announced_on = base + dt.timedelta(days=10)
                cycle.status = CycleStatus.CLOSED
            cycles.append(cycle)
            plan.append((programme, phase, base))
    cycles = _bulk(Cycle, cycles)

    # --- applications ------------------------------------------------------------------------
    apps, app_plan = [], []
    for cycle, (programme, phase, base) in zip(cycles, plan, strict=True):
        entrants = rng.sample(orgs_of[programme.pk], scale.applications)
        quality = sorted((rng.gauss(72, 8) for _ in entrants), reverse=True)
        awarded = rng.choice((2, 3, 3, 3))
        for k, (org, q) in enumerate(zip(entrants, quality, strict=True)):
            # k: rank by quality; the last 10 leave before the review.
            if k >= 20:
                path = [S.SUBMITTED, (S.DECLINED, S.INELIGIBLE, S.WITHDRAWN)[k % 3]]
                if path[-1] == S.INELIGIBLE:
                    path = [S.SUBMITTED, S.RECOMMENDED, S.INELIGIBLE]
            else:
                path = [S.SUBMITTED, S.RECOMMENDED, S.ACCEPTED, S.DOCUMENT_REVIEW]
                if phase != "document":
                    if k < 4:
                        path.append(S.ONSITE_REVIEW)
                        if phase == "closed":
                            path += (
                                [S.CANDIDATE, S.PROPOSED, S.PUBLICITY, S.AWARDED]
                                if k < awarded
                                else [S.CANDIDATE, S.NOT_PROPOSED]
                            )
                        elif phase == "publicity":
                            path += (
                                [S.CANDIDATE, S.PROPOSED, S.PUBLICITY]
                                if k < awarded
                                else [S.CANDIDATE, S.NOT_PROPOSED]
                            )
                    else:
                        path.append(S.NOT_SHORTLISTED)
            submitted = _utc(base - dt.timedelta(days=100 + k % 9), k)
            apps.append(
                Application(
                    cycle=cycle,
                    organisation=org,
                    status=path[-1],
                    submitted_at=submitted,
                    last_submitted_at=submitted,
                    summary=f"{org.name}深入实施卓越绩效管理模式。" * 4,
                    indicators=[
                        {
                            "name": "营业收入",
                            "unit": "万元",
                            "values": [rng.randrange(1000, 90000)] * 2,
                        }
                    ],
                    self_evaluation=[
                        {"item": i.code, "points": str(i.points * 7 // 10)} for i in items[:3]
                    ],
                    contact_name="质量部",
                    contact_phone=org.contact_phone,
                )
            )
            app_plan.append((cycle, phase, base, k, q, path, awarded))
    apps = _bulk(Application, apps)

    versions, recommendations, assignments, assignment_plan = [], [], [], []
    visits, surveys, awards, award_plan = [], [], [], []
    for app, (cycle, phase, base, k, q, path, _awarded) in zip(apps, app_plan, strict=True):
        repr_ = f"{app.organisation.name}（{cycle.year}年度）"
        step_day = {
            S.SUBMITTED: base - dt.timedelta(days=100),
            S.RECOMMENDED: base - dt.timedelta(days=85),
            S.DECLINED: base - dt.timedelta(days=79),
            S.WITHDRAWN: base - dt.timedelta(days=88),
            S.ACCEPTED: base - dt.timedelta(days=78),
            S.INELIGIBLE: base - dt.timedelta(days=78),
            S.DOCUMENT_REVIEW: base - dt.timedelta(days=77),
            S.ONSITE_REVIEW: base - dt.timedelta(days=49),
            S.NOT_SHORTLISTED: base - dt.timedelta(days=49),
            S.CANDIDATE: base - dt.timedelta(days=19),
            S.NOT_PROPOSED: base - dt.timedelta(days=5),
            S.PROPOSED: base - dt.timedelta(days=5),
            S.PUBLICITY: base - dt.timedelta(days=3),
            S.AWARDED: base + dt.timedelta(days=10),
        }
        previous = S.DRAFT
        for status in path:
            audit.add(
                _utc(step_day[status], k),
                office,
                "application.transition",
                ct_app,
                app.pk,
                repr_,
                previous,
                status,
            )
            previous = status
        versions.append(
            ApplicationVersion(
                application=app,
                number=1,
                submitted_at=app.submitted_at,
                submitted_by=office,
                content={"summary": app.summary, "indicators": app.indicators},
            )
        )
        if S.RECOMMENDED in path or S.DECLINED in path:
            for signer, level in ((industry, "industry"), (leadgroup, "leading_group")):
                recommendations.append(
                    Recommendation(
                        application=app,
                        level=level,
                        decision="decline" if S.DECLINED in path else "recommend",
                        opinion="同意推荐。" if S.DECLINED not in path else "暂不推荐。",
                        signed_by=signer,
                    )
                )
        experts = experts_of[cycle.programme_id]
        if S.DOCUMENT_REVIEW in path:
            panel = rng.sample(experts, 6)
            stages = [(Stage.DOCUMENT, panel[:3])]
            if S.ONSITE_REVIEW in path:
                stages.append((Stage.ONSITE, panel[3:]))
                visits.append(
                    SiteVisit(
                        application=app,
                        scheduled_on=base - dt.timedelta(days=30),
                        scheduled_by=office,
                    )
                )
                surveys += [
                    SurveyResponse(
                        application=app,
                        score=min(100, max(0, round(q + rng.gauss(10, 5)))),
                        respondent_kind=RespondentKind.CUSTOMER,
                        recorded_by=office,
                    )
                    for _ in range(3)
                ]
            for stage, members in stages:
                running = (phase == "document" and stage == Stage.DOCUMENT) or (
                    phase == "onsite" and stage == Stage.ONSITE
                )
                for m, expert in enumerate(members):
                    done = not running or m < 2  # a running stage: the third still scores
                    assignments.append(
                        Assignment(
                            application=app,
                            expert=expert,
                            stage=stage,
                            leader=stage == Stage.ONSITE and m == 0,
                            status=AssignmentStatus.SUBMITTED
                            if done
                            else AssignmentStatus.ASSIGNED,
                            assigned_by=office,
                            submitted_at=_utc(base - dt.timedelta(days=55)) if done else None,
                        )
                    )
                    assignment_plan.append((q, done))
        if S.AWARDED in path:
            awards.append(
                Award(
                    organisation=app.organisation,
                    programme_id=cycle.programme_id,
                    cycle=cycle,
                    application=app,
                    year=cycle.year,
                    announced_on=cycle.announced_on,
                    valid_until=Award.validity_end(cycle.announced_on, 3),
                    code=_code(rng),
                )
            )
            award_plan.append((cycle, app, repr_))
    _bulk(ApplicationVersion, versions)
    _bulk(Recommendation, recommendations)
    _bulk(SiteVisit, visits)
    _bulk(SurveyResponse, surveys)
    assignments = _bulk(Assignment, assignments)
    log(
        f"  {len(apps)} applications, {len(assignments)} assignments "
        f"({time.monotonic() - started:.0f} s)"
    )

    scores = []
    n_scores = 0
    submitted = []
    for assignment, (q, done) in zip(assignments, assignment_plan, strict=True):
        own = {}
        for item in items if done else items[: len(items) // 2]:
            percent = min(100, max(10, round(q + rng.gauss(0, 9))))
            own[item.pk] = percent
            scores.append(
                ItemScore(
                    assignment_id=assignment.pk,
                    item_id=item.pk,
                    percent=percent,
                    strengths="方法系统，展开充分。",
                )
            )
            if len(scores) >= BATCH * 4:
                n_scores += _copy_scores(scores)
                scores = []
        if done:
            # The totals submit_scores keeps on the sheet (no consensus in the seeded data).
            totals = sheet_totals(own, items, {})
            assignment.own_total, assignment.total = totals.own_total, totals.total
            assignment.own_by_category = {k: str(v) for k, v in totals.own_by_category.items()}
            assignment.by_category = {k: str(v) for k, v in totals.by_category.items()}
            submitted.append(assignment)
    n_scores += _copy_scores(scores)
    for i in range(0, len(submitted), BATCH):
        Assignment.objects.bulk_update(
            submitted[i : i + BATCH], ["own_total", "total", "own_by_category", "by_category"]
        )
    log(f"  {n_scores} item scores ({time.monotonic() - started:.0f} s)")

    for award in awards:
        award.status = AwardStatus.ACTIVE if award.valid_until >= day0 else AwardStatus.EXPIRED
    awards = _bulk(Award, awards)
    certificates, ledger = [], []
    for award, (cycle, app, repr_) in zip(awards, award_plan, strict=True):
        certificates.append(
            Certificate(
                award=award,
                serial=f"{cycle.programme.code.upper()}-{cycle.year}-{app.pk:06d}",
                organisation_name=app.organisation.name,
                uscc=app.organisation.uscc,
                programme_name=cycle.programme.name,
                government_name=cycle.programme.government_name,
                year=cycle.year,
                announced_on=award.announced_on,
                valid_until=award.valid_until,
                verification_code=award.code,
            )
        )
        ledger.append(
            LedgerEntry(
                award=award,
                kind=LedgerEntryKind.OWED,
                on=award.announced_on,
                amount=Decimal("100000.00"),
                recorded_by=office,
            )
        )
        audit.add(
            _utc(award.announced_on, 1),
            office,
            "award.created",
            ct_award,
            award.pk,
            f"{repr_}",
            "",
            AwardStatus.ACTIVE,
        )
    _bulk(Certificate, certificates)
    _bulk(LedgerEntry, ledger)
    n_audit = audit.write()
    counts = {
        "programmes": len(programmes),
        "cycles": len(cycles),
        "applications": len(apps),
        "assignments": len(assignments),
        "item_scores": n_scores,
        "awards": len(awards),
        "audit_entries": n_audit,
        "users": len(users),
        "organisations": len(orgs),
        "seconds": round(time.monotonic() - started, 1),
    }
    log(f"  {counts}")
    return counts
