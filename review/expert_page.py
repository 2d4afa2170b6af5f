"""What one expert's page shows (issue 12): the profile, the status, the programmes served and
every conflict of interest, and for the office the forms that manage them. The pool lists the
experts; each one's forms live here, so the pool's page does not render 25 experts' forms."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User

from .enums import ConflictScoresDecision
from .forms import conflict_decision_form, expert_forms


def back_to_pool_page(page: str | None) -> str:
    """The page of the pool the person came from (``?page=``), or "" for the first."""
    return page if page and page.isdigit() and page != "1" else ""


def expert_url(pk: int, pool_page: str | None = None) -> str:
    """An expert's page, where the office's forms about the expert live, remembering the page
    of the pool the person came from."""
    page = back_to_pool_page(pool_page)
    return reverse("review:expert_detail", args=[pk]) + (f"?page={page}" if page else "")


def expert_page(expert: User, can_manage: bool, pool_page: str = "") -> dict:
    """The page's context; the supervisor reads it without forms (R23: the office decides)."""
    conflicts = [
        (
            c,
            conflict_decision_form(c)
            if can_manage and c.scores_decision == ConflictScoresDecision.PENDING
            else None,
        )
        for c in expert.conflicts.all()
    ]
    return {
        "expert": expert,
        "profile": getattr(expert, "expert_profile", None),
        "programmes": [m.programme for m in expert.memberships.all()],
        "conflicts": conflicts,
        "can_manage": can_manage,
        "pool_page": pool_page,
        **(expert_forms(expert) if can_manage else {}),
    }
