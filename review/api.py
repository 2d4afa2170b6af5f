"""Review API (API.md): one small view per step, each calling one service."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.rules import is_expert
from applications.models import Application
from applications.selectors import visible_application
from common.api import StandardPagination
from common.downloads import private_download
from common.exceptions import ApplicationError
from organisations.models import Organisation
from organisations.selectors import visible_organisation
from programmes.models import Cycle

from .calibration import expert_calibration
from .enums import Stage
from .models import Assignment, ConflictOfInterest
from .ranking import cycle_ranking
from .reports import feedback_report_pdf
from .rules import feedback_released
from .selectors import (
    assignment_list_of,
    assignments_of,
    assignments_on,
    conflicts_visible_to,
    experts_visible_to,
    with_score_inputs,
)
from .services.assignment import assign_expert, auto_assign, revoke_assignment
from .services.decisions import decide_winners, propose_candidates, shortlist
from .services.experts import accept_pledge, decide_conflict, declare_conflict
from .services.onsite import record_survey
from .services.scoring import record_consensus, save_scores, submit_scores


def visible_cycle(request, pk: int, perm: str) -> Cycle:
    """The cycle if the caller serves its programme (else 404) and holds ``perm`` (else 403)."""
    cycle = Cycle.objects.select_related("programme").filter(pk=pk).first()
    if cycle is None or not request.user.reads(cycle.programme_id):
        raise Http404
    if not request.user.has_perm(perm, cycle):
        raise PermissionDenied()
    return cycle


def reviewed_application(request, pk: int, perm: str) -> Application:
    """A submitted application of a programme the caller reads (else 404, as the review
    pages answer), if the caller holds ``perm`` on its cycle (else 403)."""
    app = Application.objects.select_related("cycle__programme").filter(pk=pk).first()
    if app is None or app.submitted_at is None or not request.user.reads(app.cycle.programme_id):
        raise Http404
    if not request.user.has_perm(perm, app.cycle):
        raise PermissionDenied()
    return app


def decimals_as_strings(value):
    """Scores keep their two decimal places in JSON ("835.00"), as money does (API.md)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: decimals_as_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decimals_as_strings(v) for v in value]
    return value


class ExpertSerializer(serializers.ModelSerializer):
    industries = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    employer = serializers.SerializerMethodField()
    load = serializers.IntegerField(read_only=True)

    class Meta:
        model = User
        fields = ("id", "username", "name", "industries", "employer", "status", "load")

    def _profile(self, user):
        return getattr(user, "expert_profile", None)

    def get_industries(self, user) -> list[str]:
        profile = self._profile(user)
        return profile.industry_list() if profile else []

    def get_status(self, user) -> str:
        profile = self._profile(user)
        return profile.status if profile else "active"

    def get_employer(self, user) -> str:
        profile = self._profile(user)
        return profile.employer if profile else ""


class ExpertListApi(generics.ListAPIView):
    serializer_class = ExpertSerializer
    # The schema's model; get_queryset scopes the list to the caller.
    queryset = User.objects.none()

    def get_queryset(self):
        if not self.request.user.has_perm("review.view_experts"):
            raise PermissionDenied()
        return experts_visible_to(self.request.user)


class CalibrationSerializer(serializers.Serializer):
    expert = serializers.IntegerField(help_text="the expert's user id")
    username = serializers.CharField()
    name = serializers.CharField()
    submitted = serializers.IntegerField(help_text="all the expert's submitted sheets")
    sheets = serializers.IntegerField(help_text="compared sheets the estimate rests on")
    offset = serializers.DecimalField(
        max_digits=8, decimal_places=2, allow_null=True, coerce_to_string=True
    )
    spread = serializers.DecimalField(
        max_digits=8, decimal_places=2, allow_null=True, coerce_to_string=True
    )
    by_category = serializers.DictField(child=serializers.CharField())


class CalibrationApi(APIView):
    """Per expert, against the panels they sat on: the mean offset of their sheet totals from
    the other members' mean (``offset``), its sample standard deviation (``spread``) and the
    offset per GB/T 19580 category; definitions in ``review.calibration``. Informs; never
    changes a score. Office and supervisor, over the programmes they serve."""

    @extend_schema(responses=CalibrationSerializer(many=True))
    def get(self, request):
        if not request.user.has_perm("review.view_calibration"):
            raise PermissionDenied()
        rows = [c.as_dict() for c in expert_calibration(request.user)]
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(page)


class PledgeApi(APIView):
    """The expert accepts the confidentiality pledge (R23)."""

    @extend_schema(request=None, responses={200: dict})
    def post(self, request):
        if not request.user.has_perm("review.score"):
            raise PermissionDenied()
        profile = accept_pledge(expert=request.user)
        return Response({"pledge_accepted_at": profile.pledge_accepted_at})


class AssignmentCreateSerializer(serializers.Serializer):
    expert = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    stage = serializers.ChoiceField(choices=Stage.choices)
    leader = serializers.BooleanField(required=False, default=False)


class AssignmentSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="application.organisation.name", read_only=True)

    class Meta:
        model = Assignment
        fields = (
            "id",
            "application",
            "organisation",
            "expert",
            "stage",
            "leader",
            "status",
            "assigned_at",
            "submitted_at",
            "revoked_at",
            "revoked_reason",
        )


class RevokeAssignmentSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="why the assignment is withdrawn")


class ApplicationAssignmentApi(APIView):
    @extend_schema(responses=AssignmentSerializer(many=True))
    def get(self, request, pk: int):
        """Every expert assigned to the application, by stage, revoked ones too (issue 11):
        staff who read the programme's review."""
        app = reviewed_application(request, pk, "review.view_dashboard")
        paginator = StandardPagination()
        page = paginator.paginate_queryset(assignments_on(app), request, view=self)
        return paginator.get_paginated_response(AssignmentSerializer(page, many=True).data)

    @extend_schema(request=AssignmentCreateSerializer, responses={201: AssignmentSerializer})
    def post(self, request, pk: int):
        app = visible_application(request, pk, "review.manage_review")
        serializer = AssignmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = assign_expert(application=app, actor=request.user, **serializer.validated_data)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class RevokeAssignmentApi(APIView):
    """The office withdraws an unfinished assignment with a reason (撤回分配, issue 11): 409
    for a submitted sheet, a closed cycle or a second request."""

    @extend_schema(request=RevokeAssignmentSerializer, responses=AssignmentSerializer)
    def post(self, request, pk: int):
        assignment = Assignment.objects.filter(pk=pk).only("pk", "application_id").first()
        if assignment is None:
            raise Http404
        reviewed_application(request, assignment.application_id, "review.manage_review")
        serializer = RevokeAssignmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revoked = revoke_assignment(
            assignment=assignment, reason=serializer.validated_data["reason"], actor=request.user
        )
        revoked = Assignment.objects.select_related("application__organisation").get(pk=revoked.pk)
        return Response(AssignmentSerializer(revoked).data)


class AutoAssignSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)


class CycleAutoAssignApi(APIView):
    @extend_schema(request=AutoAssignSerializer, responses={201: AssignmentSerializer(many=True)})
    def post(self, request, pk: int):
        cycle = visible_cycle(request, pk, "review.manage_review")
        serializer = AutoAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = auto_assign(
            cycle=cycle, stage=serializer.validated_data["stage"], actor=request.user
        )
        return Response(AssignmentSerializer(created, many=True).data, status=201)


class MyAssignmentsApi(generics.ListAPIView):
    serializer_class = AssignmentSerializer
    # The schema's model; get_queryset scopes the list to the caller.
    queryset = Assignment.objects.none()

    def get_queryset(self):
        if not self.request.user.has_perm("review.score"):
            raise PermissionDenied()
        return assignment_list_of(self.request.user)


def own_assignment(request, pk: int) -> Assignment:
    assignment = assignments_of(request.user).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


class ScoreItemSerializer(serializers.Serializer):
    item = serializers.CharField()
    percent = serializers.IntegerField()
    strengths = serializers.CharField(required=False, allow_blank=True, default="")
    improvements = serializers.CharField(required=False, allow_blank=True, default="")


class ScoresSerializer(serializers.Serializer):
    items = ScoreItemSerializer(many=True)


class AssignmentScoresApi(APIView):
    @extend_schema(responses=ScoresSerializer)
    def get(self, request, pk: int):
        assignment = own_assignment(request, pk)
        return Response(
            {
                "items": [
                    {
                        "item": s.item.code,
                        "percent": s.percent,
                        "strengths": s.strengths,
                        "improvements": s.improvements,
                    }
                    for s in assignment.scores.select_related("item").order_by(
                        "item__category__order", "item__order"
                    )
                ]
            }
        )

    @extend_schema(request=ScoresSerializer, responses=ScoresSerializer)
    def put(self, request, pk: int):
        assignment = own_assignment(request, pk)
        serializer = ScoresSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        save_scores(
            assignment=assignment, items=serializer.validated_data["items"], expert=request.user
        )
        return self.get(request, pk)


class AssignmentSubmitApi(APIView):
    @extend_schema(request=None, responses=AssignmentSerializer)
    def post(self, request, pk: int):
        assignment = own_assignment(request, pk)
        assignment = submit_scores(assignment=assignment, expert=request.user)
        return Response(AssignmentSerializer(assignment).data)


class ConsensusItemSerializer(serializers.Serializer):
    item = serializers.CharField()
    percent = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ConsensusSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    items = ConsensusItemSerializer(many=True)


class ConsensusApi(APIView):
    @extend_schema(request=ConsensusSerializer, responses=ConsensusSerializer)
    def put(self, request, pk: int):
        app = visible_application(request, pk)
        serializer = ConsensusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["stage"] == Stage.DOCUMENT and not request.user.has_perm(
            "review.manage_review", app
        ):
            raise PermissionDenied()
        saved = record_consensus(
            application=app, stage=data["stage"], items=data["items"], actor=request.user
        )
        return Response(
            {
                "stage": data["stage"],
                "items": [
                    {"item": c.item.code, "percent": c.percent, "comment": c.comment} for c in saved
                ],
            }
        )


class IdsSerializer(serializers.Serializer):
    applications = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)


class ShortlistApi(APIView):
    @extend_schema(request=IdsSerializer, responses={200: dict})
    def post(self, request, pk: int):
        cycle = visible_cycle(request, pk, "review.manage_review")
        serializer = IdsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(
            shortlist(
                cycle=cycle,
                actor=request.user,
                application_ids=serializer.validated_data["applications"],
            )
        )


class CandidatesApi(APIView):
    @extend_schema(request=IdsSerializer, responses={200: dict})
    def post(self, request, pk: int):
        cycle = visible_cycle(request, pk, "review.manage_review")
        serializer = IdsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(
            propose_candidates(
                cycle=cycle,
                actor=request.user,
                application_ids=serializer.validated_data["applications"],
            )
        )


class DecisionSerializer(serializers.Serializer):
    winners = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    rationale = serializers.CharField()


class DecisionApi(APIView):
    @extend_schema(request=DecisionSerializer, responses={200: dict})
    def post(self, request, pk: int):
        cycle = visible_cycle(request, pk, "review.decide_winners")
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(
            decide_winners(
                cycle=cycle,
                actor=request.user,
                winner_ids=serializer.validated_data["winners"],
                rationale=serializer.validated_data["rationale"],
            )
        )


class RankingApi(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request, pk: int):
        cycle = visible_cycle(request, pk, "review.view_ranking")
        return Response({"cycle": cycle.pk, "results": decimals_as_strings(cycle_ranking(cycle))})


class SurveyResponseSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=0, max_value=100)
    respondent_kind = serializers.CharField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SurveySerializer(serializers.Serializer):
    responses = SurveyResponseSerializer(many=True)


class SurveyApi(APIView):
    @extend_schema(request=SurveySerializer, responses={201: dict})
    def post(self, request, pk: int):
        app = visible_application(request, pk, "review.manage_review")
        serializer = SurveySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = record_survey(
            application=app, actor=request.user, responses=serializer.validated_data["responses"]
        )
        return Response({"recorded": len(created)}, status=201)


class FeedbackPdfApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        app = visible_application(request, pk)
        user = request.user
        if not user.has_perm("review.view_feedback", app):
            if user.has_perm("applications.follow_application", app) or not feedback_released(
                user, app
            ):
                raise Http404  # no report before the document stage ends (R12.4)
            raise PermissionDenied()
        app = with_score_inputs(Application.objects.filter(pk=app.pk)).get()
        return private_download(
            feedback_report_pdf(app),
            filename=f"feedback-{app.pk}.pdf",
            content_type="application/pdf",
        )


class ConflictSerializer(serializers.Serializer):
    expert = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    reason = serializers.CharField()


class ConflictApi(APIView):
    """The office, or the expert declaring for themself, records a conflict of interest."""

    @extend_schema(request=ConflictSerializer, responses={201: dict})
    def post(self, request, pk: int):
        user = request.user
        if user.has_perm("review.declare_own_conflict"):
            organisation = get_object_or_404(Organisation, pk=pk)
        else:
            organisation = visible_organisation(request, pk)
        serializer = ConflictSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expert = serializer.validated_data["expert"]
        if not user.has_perm("review.manage_experts") and expert.pk != user.pk:
            raise PermissionDenied()
        if not is_expert.test(expert):
            raise ApplicationError(gettext("该用户不是评审专家。"), field="expert")
        if (
            user.has_perm("review.manage_experts")
            and expert.pk != user.pk
            and not experts_visible_to(user).filter(pk=expert.pk).exists()
        ):
            raise Http404  # an expert of another programme: not this office's to manage
        conflict = declare_conflict(
            expert=expert,
            organisation=organisation,
            reason=serializer.validated_data["reason"],
            actor=user,
        )
        return Response(
            {
                "id": conflict.pk,
                "expert": expert.pk,
                "organisation": organisation.pk,
                "scores_decision": conflict.scores_decision,
            },
            status=201,
        )


class ConflictDecisionSerializer(serializers.Serializer):
    withdraw_scores = serializers.BooleanField()
    reasons = serializers.CharField(max_length=2000)


class ConflictDecisionApi(APIView):
    """The office decides on sheets submitted before an expert declared a conflict (R23)."""

    @extend_schema(request=ConflictDecisionSerializer, responses={200: dict})
    def post(self, request, pk: int):
        conflict = visible_conflict(request, pk)
        if not request.user.has_perm("review.manage_experts"):
            raise PermissionDenied()
        serializer = ConflictDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        conflict = decide_conflict(
            conflict=conflict,
            withdraw_scores=serializer.validated_data["withdraw_scores"],
            reason=serializer.validated_data["reasons"],
            actor=request.user,
        )
        return Response({"id": conflict.pk, "scores_decision": conflict.scores_decision})


def visible_conflict(request, pk: int) -> ConflictOfInterest:
    """A conflict of an expert the caller works with (office, supervisor), else 404."""
    if not request.user.has_perm("review.view_experts"):
        raise Http404
    return get_object_or_404(conflicts_visible_to(request.user), pk=pk)
