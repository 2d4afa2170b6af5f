"""The awards app's sections on review's cycle pages (registered in ``AwardsConfig.ready``):
publicity and objections on the office's cycle page, objections and certificates on the
dashboard."""

from __future__ import annotations

from applications.enums import ApplicationStatus as S
from common.dates import today

from .enums import ObjectionStatus
from .forms import PublicityForm, ResolveObjectionForm
from .models import Objection
from .services.certificates import progress as certificate_progress


def cycle_publicity(request, cycle) -> dict | None:
    user = request.user
    can_run = user.has_perm("awards.run_publicity", cycle)
    objections = Objection.objects.filter(application__cycle=cycle).select_related(
        "application__organisation"
    )
    publicity_form = (
        PublicityForm(initial={"starts_on": today(), "days": cycle.settings.publicity_days})
        if can_run and cycle.applications.filter(status=S.PROPOSED).exists()
        else None
    )
    return {
        "cycle": cycle,
        "publicity_form": publicity_form,
        "objections": list(objections),
        "resolve_form": ResolveObjectionForm(),
        "can_resolve": user.has_perm("awards.resolve_objection", cycle),
        "can_see_objector": user.has_perm("awards.view_objector", cycle),
    }


def dashboard_awards(request, cycle) -> dict | None:
    done, total = certificate_progress(cycle.awards.all())
    return {
        "certificates": {"done": done, "total": total},
        "open_objections": Objection.objects.filter(
            application__cycle=cycle, status=ObjectionStatus.OPEN
        ).count(),
    }
