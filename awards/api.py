"""Publicity, objections and the announcement (API.md), and the public registry."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.models import Application
from common.dates import today
from common.throttling import SharedRateThrottle
from organisations.models import Organisation
from programmes.models import Programme
from review.api import visible_cycle

from .downloads import certificate_response
from .enums import AwardStatus, CaseTrigger, Sanction
from .models import Award, Case, Objection, Visit
from .selectors import award_by_code, in_publicity, registry
from .services.history import import_award
from .services.ledger import award_balance, record_payment
from .services.publicity import announce_cycle, file_objection, resolve_objection, start_publicity
from .services.sanctions import approve_revocation, decide_case, open_case
from .services.verification import read_upload, verify_certificate_pdf
from .services.visits import record_visit


class PublicityStartSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    days = serializers.IntegerField(required=False, min_value=1, max_value=60)


class PublicityApi(APIView):
    @extend_schema(request=PublicityStartSerializer, responses={200: dict})
    def post(self, request, pk: int):
        cycle = visible_cycle(request, pk, "awards.run_publicity")
        serializer = PublicityStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        apps = start_publicity(cycle=cycle, actor=request.user, **serializer.validated_data)
        cycle.refresh_from_db()
        return Response(
            {
                "applications": [a.pk for a in apps],
                "starts_on": cycle.publicity_starts_on,
                "ends_on": cycle.publicity_ends_on,
            }
        )


class AnnounceApi(APIView):
    @extend_schema(request=None, responses={200: dict})
    def post(self, request, pk: int):
        cycle = visible_cycle(request, pk, "awards.announce")
        awards = announce_cycle(cycle=cycle, actor=request.user)
        return Response(
            {
                "awards": [
                    {"id": a.pk, "organisation": a.organisation.name, "valid_until": a.valid_until}
                    for a in awards
                ]
            }
        )


class PublicPublicitySerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    programme = serializers.CharField(source="cycle.programme.name")
    year = serializers.IntegerField(source="cycle.year")
    starts_on = serializers.DateField(source="cycle.publicity_starts_on")
    ends_on = serializers.DateField(source="cycle.publicity_ends_on")

    class Meta:
        model = Application
        fields = ("id", "organisation", "programme", "year", "starts_on", "ends_on")


class PublicPublicityApi(generics.ListAPIView):
    """Public: the proposed winners under publicity, with the period. Nothing confidential."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    serializer_class = PublicPublicitySerializer

    def get_queryset(self):
        return in_publicity()


class ObjectionCreateSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    text = serializers.CharField(max_length=5000)
    name = serializers.CharField(max_length=64)
    phone = serializers.CharField(max_length=20)


class PublicObjectionApi(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [SharedRateThrottle]
    throttle_scope = "public_objection"

    @extend_schema(request=ObjectionCreateSerializer, responses={201: dict})
    def post(self, request):
        serializer = ObjectionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        objection = file_objection(
            application_id=data["application"],
            text=data["text"],
            name=data["name"],
            phone=data["phone"],
        )
        # The answer carries no personal data back.
        return Response(
            {"id": objection.pk, "status": objection.status}, status=status.HTTP_201_CREATED
        )


class ResolveSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    reasons = serializers.CharField()


class ObjectionResolveApi(APIView):
    @extend_schema(request=ResolveSerializer, responses={200: dict})
    def post(self, request, pk: int):
        objection = Objection.objects.select_related("application__cycle").filter(pk=pk).first()
        if objection is None or not request.user.serves(objection.application.cycle.programme_id):
            raise Http404
        if not request.user.has_perm("awards.resolve_objection", objection.application.cycle):
            raise PermissionDenied()
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = resolve_objection(
            objection=objection, actor=request.user, **serializer.validated_data
        )
        return Response(
            {
                "id": objection.pk,
                "status": objection.status,
                "application_status": objection.application.status,
            }
        )


# --- Awards (API.md "Awards") ---------------------------------------------------------------


class AwardPublicSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    uscc = serializers.CharField(source="organisation.uscc")
    programme = serializers.CharField(source="programme.name")

    class Meta:
        model = Award
        fields = (
            "id",
            "organisation",
            "uscc",
            "programme",
            "year",
            "announced_on",
            "valid_until",
            "status",
            "code",
        )


class AwardFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AwardStatus.choices, required=False)
    uscc = serializers.CharField(required=False, max_length=32)
    q = serializers.CharField(required=False, max_length=100)


class AwardRegistryApi(generics.ListAPIView):
    """Public: the registry of awards (active, expired, revoked)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = AwardPublicSerializer
    filter_backends = []

    def get_queryset(self):
        params = AwardFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return registry(
            query=data.get("q", ""), status=data.get("status", ""), uscc=data.get("uscc", "")
        )


class VerifyApi(APIView):
    """Public: the verdict for one code (the certificate's QR code points at the page)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: dict})
    def get(self, request, code: str):
        award = award_by_code(code)
        if award is None:
            raise Http404
        return Response(
            {
                "valid": award.is_valid_on(today()),
                "status": award.status,
                "organisation": award.organisation.name,
                "programme": award.programme.name,
                "year": award.year,
                "announced_on": award.announced_on,
                "valid_until": award.valid_until,
                "revoked_on": award.revoked_on,
            }
        )


_VERIFY_PDF_AWARD = {
    "code": serializers.CharField(),
    "organisation": serializers.CharField(),
    "status": serializers.ChoiceField(choices=AwardStatus.choices),
    "valid_until": serializers.DateField(),
}


class VerifyPdfApi(APIView):
    """Public: check a certificate PDF someone holds. ``signature_valid`` is true only when the
    file carries the portal's own PAdES signature (the signer certificate the verification page
    shows), intact and covering the whole file; an unsigned, modified (one byte is enough) or
    foreign-signed file gives false, with the foreign signer named. ``award`` is the award the
    file names (by its verification code), with its status today, or null. Files over 20 MB and
    files that are not PDFs are refused with 400."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    parser_classes = (MultiPartParser,)
    throttle_classes = [SharedRateThrottle]
    throttle_scope = "public_verify_pdf"

    @extend_schema(
        operation_id="public_verify_pdf",
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        responses={
            200: inline_serializer(
                "VerifyPdfResult",
                {
                    "signature_valid": serializers.BooleanField(),
                    "signer": serializers.CharField(allow_null=True),
                    "award": inline_serializer(
                        "VerifyPdfAward", _VERIFY_PDF_AWARD, allow_null=True
                    ),
                },
            ),
            400: dict,
        },
    )
    def post(self, request):
        upload = request.data.get("file")
        data = read_upload(upload if hasattr(upload, "read") else None)
        return Response(verify_certificate_pdf(data).as_dict())


def visible_award(request, pk: int, perm: str | None = None) -> Award:
    award = Award.objects.select_related("organisation", "programme").filter(pk=pk).first()
    if award is None or not request.user.has_perm("awards.view_award_record", award):
        raise Http404
    if perm and not request.user.has_perm(perm, award):
        raise PermissionDenied()
    return award


class CertificatePdfApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        award = visible_award(request, pk)
        certificate = award.certificates.filter(superseded_at=None).first()
        if certificate is None or not certificate.pdf:
            raise Http404(gettext("证书尚在生成。"))
        return certificate_response(certificate)


class ImportSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    announced_on = serializers.DateField()


class AwardImportApi(APIView):
    @extend_schema(request=ImportSerializer, responses={201: AwardPublicSerializer})
    def post(self, request):
        serializer = ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not request.user.has_perm("awards.manage_award", data["programme"]):
            raise PermissionDenied()
        award = import_award(actor=request.user, **data)
        return Response(AwardPublicSerializer(award).data, status=201)


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Visit
        fields = ("id", "visited_on", "visitors", "findings", "follow_up", "recorded_at")
        read_only_fields = ("id", "recorded_at")


class VisitApi(APIView):
    @extend_schema(responses=VisitSerializer(many=True))
    def get(self, request, pk: int):
        award = visible_award(request, pk)
        if not request.user.has_perm("awards.view_award_internals"):
            raise PermissionDenied()
        return Response(VisitSerializer(award.visits.all(), many=True).data)

    @extend_schema(request=VisitSerializer, responses={201: VisitSerializer})
    def post(self, request, pk: int):
        award = visible_award(request, pk, "awards.manage_award")
        serializer = VisitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = record_visit(
            award=award,
            actor=request.user,
            attachment=request.FILES.get("attachment"),
            **serializer.validated_data,
        )
        return Response(VisitSerializer(visit).data, status=201)


class CaseSerializer(serializers.ModelSerializer):
    trigger = serializers.ChoiceField(choices=CaseTrigger.choices)

    class Meta:
        model = Case
        fields = (
            "id",
            "award",
            "trigger",
            "occurred_on",
            "description",
            "status",
            "sanction",
            "reasons",
            "decided_at",
            "approved_at",
            "created_at",
        )
        read_only_fields = (
            "id",
            "award",
            "status",
            "sanction",
            "reasons",
            "decided_at",
            "approved_at",
            "created_at",
        )


class CaseOpenApi(APIView):
    @extend_schema(request=CaseSerializer, responses={201: CaseSerializer})
    def post(self, request, pk: int):
        award = visible_award(request, pk, "awards.manage_award")
        serializer = CaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = open_case(
            award=award,
            actor=request.user,
            evidence=request.FILES.get("evidence"),
            **serializer.validated_data,
        )
        return Response(CaseSerializer(case).data, status=201)


def visible_case(request, pk: int, perm: str) -> Case:
    case = Case.objects.select_related("award__programme").filter(pk=pk).first()
    if (
        case is None
        or not request.user.has_perm("awards.view_award_internals")
        or not request.user.has_perm("awards.view_award_record", case.award)
    ):
        raise Http404
    if not request.user.has_perm(perm, case.award):
        raise PermissionDenied()
    return case


class CaseDecisionSerializer(serializers.Serializer):
    sanction = serializers.ChoiceField(choices=Sanction.choices)
    reasons = serializers.CharField()


class CaseDecisionApi(APIView):
    @extend_schema(request=CaseDecisionSerializer, responses=CaseSerializer)
    def post(self, request, pk: int):
        case = visible_case(request, pk, "awards.decide_case")
        serializer = CaseDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = decide_case(case=case, actor=request.user, **serializer.validated_data)
        return Response(CaseSerializer(case).data)


class ApproveRevocationApi(APIView):
    @extend_schema(request=None, responses=CaseSerializer)
    def post(self, request, pk: int):
        case = visible_case(request, pk, "awards.approve_revocation")
        reason = request.data.get("reason", "") if isinstance(request.data, dict) else ""
        case = approve_revocation(case=case, actor=request.user, reason=str(reason)[:2000])
        return Response(CaseSerializer(case).data)


class PaymentSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    on = serializers.DateField()
    reference = serializers.CharField(max_length=100)


class PaymentApi(APIView):
    """The office records a payment of the reward (R14)."""

    @extend_schema(request=PaymentSerializer, responses={201: dict})
    def post(self, request, pk: int):
        award = visible_award(request, pk, "awards.manage_award")
        serializer = PaymentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = record_payment(award=award, actor=request.user, **serializer.validated_data)
        b = award_balance(award)
        return Response(
            {
                "id": entry.pk,
                "owed": str(b.owed),
                "paid": str(b.paid),
                "outstanding": str(b.outstanding),
            },
            status=201,
        )
