"""The register of honours and the art. 13 rewards (API.md, "The award ladder"), and the
jurisdiction's overview."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import StandardPagination
from common.dates import today
from common.downloads import private_download
from organisations.selectors import visible_organisation
from programmes.models import Programme

from .downloads import xlsx_response
from .enums import HonourKind
from .importing import MAX_IMPORT_BYTES, import_honours
from .models import Honour
from .overview import is_jurisdiction, overview
from .selectors import register
from .services import record_honour, reward_honour, validate_honour


class HonourInSerializer(serializers.Serializer):
    kind = serializers.CharField(
        max_length=32, help_text="、".join(HonourKind.values) + "（本系统奖项为 award，只读）"
    )
    title = serializers.CharField(max_length=200)
    issuer = serializers.CharField(max_length=200)
    granted_on = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    evidence = serializers.FileField(required=False, help_text="PDF、JPEG、PNG、DOCX、XLSX")

    def validate(self, attrs):
        errors = validate_honour(
            kind=attrs["kind"],
            title=attrs["title"],
            issuer=attrs["issuer"],
            granted_on=attrs["granted_on"],
            valid_until=attrs.get("valid_until"),
        )
        if errors:
            raise serializers.ValidationError({k: [v] for k, v in errors.items()})
        return attrs


class RewardSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    programme = serializers.CharField()
    on = serializers.DateField()


class RegisterRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="荣誉编号；kind 为 award 时为本系统奖项编号")
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    title = serializers.CharField()
    issuer = serializers.CharField()
    granted_on = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text="active、expired 或（本系统奖项）revoked")
    evidence = serializers.SerializerMethodField()
    reward = serializers.SerializerMethodField()

    def get_evidence(self, row) -> bool:
        return row.has_evidence

    @extend_schema_field(RewardSerializer(allow_null=True))
    def get_reward(self, row):
        if row.reward_amount is None:
            return None
        return {
            "amount": str(row.reward_amount),
            "programme": row.reward_programme,
            "on": row.reward_on.isoformat(),
        }


def _can_record(request) -> None:
    if not request.user.has_perm("honours.record_honour"):
        raise PermissionDenied(gettext("只有评审委员会办公室可以登记荣誉。"))


class HonourListApi(APIView):
    """An organisation's register of honours: those granted elsewhere and this portal's own
    awards (``kind: "award"``). Its own users and the overseeing staff read; the office
    writes."""

    @extend_schema(responses=RegisterRowSerializer(many=True))
    def get(self, request, pk: int):
        org = visible_organisation(request, pk)
        rows = register(org, day=today())
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(RegisterRowSerializer(page, many=True).data)

    @extend_schema(
        request={
            "application/json": HonourInSerializer,
            "multipart/form-data": HonourInSerializer,
        },
        responses={201: RegisterRowSerializer},
    )
    def post(self, request, pk: int):
        org = visible_organisation(request, pk)
        _can_record(request)
        serializer = HonourInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        honour = record_honour(organisation=org, actor=request.user, **serializer.validated_data)
        row = next(r for r in register(org, day=today()) if r.honour and r.honour.pk == honour.pk)
        return Response(RegisterRowSerializer(row).data, status=status.HTTP_201_CREATED)


def visible_honour(request, pk: int) -> Honour:
    """The honour, or 404 when it does not exist or its organisation is hidden from the
    caller (never leak existence)."""
    honour = Honour.objects.select_related("organisation").filter(pk=pk).first()
    if honour is None or not request.user.has_perm(
        "organisations.view_organisation_record", honour.organisation
    ):
        raise Http404
    return honour


class RewardInSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="默认为支付质量奖对该类荣誉设定的金额（第十三条：5万元）",
    )
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(),
        required=False,
        allow_null=True,
        help_text="支付奖励的质量奖；默认为您服务的、管辖区域包括该组织的最近一级质量奖",
    )


class LedgerEntryOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    honour = serializers.IntegerField(source="honour_id")
    programme = serializers.IntegerField(source="programme_id")
    reward = serializers.CharField()
    kind = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    on = serializers.DateField()


class HonourRewardApi(APIView):
    """R13 (art. 13): the one-off reward owed for an honour granted elsewhere, in the ledger;
    a second one for the same honour is 409."""

    @extend_schema(request=RewardInSerializer, responses={201: LedgerEntryOutSerializer})
    def post(self, request, pk: int):
        honour = visible_honour(request, pk)
        if not request.user.has_perm("honours.reward_honour"):
            raise PermissionDenied(gettext("只有评审委员会办公室可以登记荣誉奖励。"))
        serializer = RewardInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = reward_honour(
            honour=honour,
            actor=request.user,
            amount=serializer.validated_data.get("amount"),
            programme=serializer.validated_data.get("programme"),
        )
        return Response(LedgerEntryOutSerializer(entry).data, status=status.HTTP_201_CREATED)


class HonourEvidenceApi(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk: int):
        honour = visible_honour(request, pk)
        if not honour.evidence:
            raise Http404
        return private_download(
            honour.evidence,
            filename=honour.evidence_name or "evidence",
            content_type=honour.evidence_type or "application/octet-stream",
        )


class HonourImportApi(APIView):
    """CSV or XLSX with columns uscc, kind, title, issuer, granted_on[, valid_until]: all rows
    are recorded or none; the answer lists the errors by row number."""

    parser_classes = (MultiPartParser,)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        responses={201: dict, 400: dict},
    )
    def post(self, request):
        _can_record(request)
        upload = request.data.get("file")
        if upload is None or not hasattr(upload, "read"):
            return Response({"file": ["请上传CSV或XLSX文件。"]}, status=400)
        if upload.size > MAX_IMPORT_BYTES:
            return Response({"file": ["文件不能超过5 MB。"]}, status=400)
        report = import_honours(data=upload.read(), actor=request.user)
        body = {
            "rows": report.rows,
            "created": report.created,
            "errors": [{"row": row, "detail": msg} for row, msg in report.errors],
        }
        return Response(body, status=201 if report.ok else 400)


def visible_jurisdiction(request, pk: int) -> Programme:
    programme = Programme.objects.filter(pk=pk).first()
    if programme is None or not request.user.has_perm("honours.view_overview", programme):
        raise Http404
    if not is_jurisdiction(programme):
        raise Http404
    return programme


class OverviewRowSerializer(serializers.Serializer):
    programme = serializers.IntegerField(source="programme.pk")
    programme_code = serializers.CharField(source="programme.code")
    programme_name = serializers.CharField(source="programme.name")
    level = serializers.CharField(source="programme.level")
    region = serializers.CharField(source="programme.region")
    year = serializers.IntegerField()
    applications = serializers.IntegerField()
    quota = serializers.IntegerField()
    winners = serializers.IntegerField()
    vacancies = serializers.IntegerField(allow_null=True, help_text="该年度评审进行中时为 null")
    valid = serializers.IntegerField()
    revoked = serializers.IntegerField()
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    honour_rewards = serializers.DecimalField(max_digits=14, decimal_places=2)


class OverviewApi(APIView):
    """The jurisdiction's overview of a city, league or province programme: per programme
    under it (its own included) and year. ``?export=xlsx`` gives the workbook."""

    @extend_schema(
        parameters=[OpenApiParameter("export", str, enum=["xlsx"], required=False)],
        responses={200: OverviewRowSerializer(many=True)},
    )
    def get(self, request, pk: int):
        programme = visible_jurisdiction(request, pk)
        if request.query_params.get("export") == "xlsx":
            return xlsx_response(programme)
        rows = overview(programme, day=today())
        return Response(OverviewRowSerializer(rows, many=True).data)
