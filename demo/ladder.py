"""The demo's league-level award above the banner award (issue 13 §2): the Ordos mayor's
quality award (150600, city level) takes nominations from the 鄂托克前旗 award, and the
banner's office has nominated last year's winner 绿原乳业 into this year's cycle."""

from __future__ import annotations

import datetime as dt

from accounts.enums import Role
from accounts.models import User
from accounts.services.users import create_staff_user
from applications.enums import ApplicationStatus as S
from applications.models import Application
from ladder.services import create_programme_on_ladder, nominate
from programmes.models import Programme
from programmes.services import create_cycle

CODE = "ordos"
# username, name, roles (the city's own office; the banner's office nominates)
STAFF = [("cityoffice", "高科长（鄂尔多斯市）", [Role.OFFICE])]
NOMINEE = "greenmilk"


def load_ladder_demo(*, lower: Programme, day: dt.date, password_for) -> dict[str, tuple]:
    """Create the city award, its cycle and office, and nominate the banner's winner (when
    last year's banner cycle reached the award). Idempotent; returns the logins it adds."""
    logins = {u: (password_for(u), ", ".join(roles)) for u, _, roles in STAFF}
    if Programme.objects.filter(code=CODE).exists():
        return logins
    city = create_programme_on_ladder(
        actor=None,
        code=CODE,
        name="鄂尔多斯市市长质量奖",
        region="150600",
        level="city",
        government_name="鄂尔多斯市人民政府",
        office_name="鄂尔多斯市市长质量奖评审委员会办公室",
        nominated_from=[lower],
        requires_lower_award=True,
    )
    cycle = create_cycle(
        programme=city,
        year=day.year,
        opens_on=day - dt.timedelta(days=20),
        submission_deadline=day + dt.timedelta(days=60),
        recommendation_deadline=day + dt.timedelta(days=75),
        document_review_deadline=day + dt.timedelta(days=105),
        onsite_review_deadline=day + dt.timedelta(days=135),
        actor=None,
    )
    for username, name, roles in STAFF:
        create_staff_user(
            username=username,
            password=password_for(username),
            roles=roles,
            programmes=[CODE],
            name=name,
            email=f"{username}@example.gov.cn",
        )
    winner = (
        Application.objects.filter(
            cycle__programme=lower,
            status=S.AWARDED,
            organisation__users__username=NOMINEE,
        )
        .order_by("-cycle__year")
        .first()
    )
    if winner is not None:
        nominate(cycle=cycle, application=winner, actor=User.objects.get(username="office"))
    return logins
