"""The committee's decision (审定, R12.7) as a review page of its own: the candidates with the
ranking, and the proposed winners with a rationale. More than the quota is refused (R7); the
rule lives in ``review.services.decisions.decide_winners``."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from applications.enums import ApplicationStatus as S
from common.exceptions import ApplicationError

from .ranking import cycle_ranking, tie_at_quota
from .services.decisions import decide_winners
from .views import _cycle

DECIDED_STATES = (S.CANDIDATE, S.PROPOSED, S.NOT_PROPOSED, S.PUBLICITY, S.AWARDED)


class DecisionForm(forms.Form):
    winners = forms.TypedMultipleChoiceField(label=_("拟获奖组织"), coerce=int, required=False)
    rationale = forms.CharField(
        label=_("审定理由"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("请填写审定理由。")},
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["winners"].choices = [(r["application"], r["organisation"]) for r in candidates]


class CommitteeDecisionView(LoginRequiredMixin, View):
    template_name = "review/decision.html"

    def _render(self, request, cycle, form=None, status=200):
        rows = cycle_ranking(cycle, states=DECIDED_STATES)
        candidates = [r for r in rows if r["status"] == S.CANDIDATE]
        can_decide = request.user.has_perm("review.decide_winners", cycle) and bool(candidates)
        context = {
            "cycle": cycle,
            "rows": rows,
            "tie": set(tie_at_quota(candidates, cycle.settings.quota)),
            "can_decide": can_decide,
            "form": form or DecisionForm(candidates=candidates),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk: int):
        return self._render(request, _cycle(request, pk, "review.view_ranking"))

    def post(self, request, pk: int):
        cycle = _cycle(request, pk, "review.view_ranking")
        if not request.user.has_perm("review.decide_winners", cycle):
            raise PermissionDenied
        candidates = [
            r for r in cycle_ranking(cycle, states=DECIDED_STATES) if r["status"] == S.CANDIDATE
        ]
        form = DecisionForm(request.POST, candidates=candidates)
        if not form.is_valid():
            return self._render(request, cycle, form, status=400)
        try:
            out = decide_winners(
                cycle=cycle,
                winner_ids=form.cleaned_data["winners"],
                rationale=form.cleaned_data["rationale"],
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.user_message)
            return self._render(request, cycle, form, status=409 if exc.code == "conflict" else 400)
        messages.success(
            request, gettext("已审定拟获奖组织%(n)s个。") % {"n": len(out["proposed"])}
        )
        return redirect("review:decision", pk=cycle.pk)
