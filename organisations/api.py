from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.dates import today

from .importing import import_incidents
from .selectors import visible_organisation
from .serializers import IncidentSerializer, OrganisationPatchSerializer, OrganisationSerializer
from .services import record_incident, set_credit_grade, update_profile

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class OrganisationApi(APIView):
    @extend_schema(responses=OrganisationSerializer)
    def get(self, request, pk: int):
        return Response(OrganisationSerializer(visible_organisation(request, pk)).data)

    @extend_schema(request=OrganisationPatchSerializer, responses=OrganisationSerializer)
    def patch(self, request, pk: int):
        org = visible_organisation(request, pk)
        serializer = OrganisationPatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        grade = data.pop("credit_grade", None)
        source = data.pop("credit_grade_source", None)
        rated_on = data.pop("credit_grade_on", None) or today()
        if grade is not None and not request.user.has_perm("organisations.rate_credit"):
            raise PermissionDenied(gettext("只有评审委员会办公室可以录入质量信用等级。"))
        if data and not request.user.has_perm("organisations.edit_profile", org):
            raise PermissionDenied()
        if grade is None and not data:
            return Response({"detail": "没有可修改的字段。"}, status=400)
        if data:
            update_profile(organisation=org, data=data, actor=request.user)
        if grade is not None:
            set_credit_grade(
                organisation=org, grade=grade, source=source, rated_on=rated_on, actor=request.user
            )
        org.refresh_from_db()
        return Response(OrganisationSerializer(org).data)


class IncidentApi(APIView):
    @extend_schema(responses=IncidentSerializer(many=True))
    def get(self, request, pk: int):
        org = visible_organisation(request, pk)
        return Response(IncidentSerializer(org.incidents.all(), many=True).data)

    @extend_schema(request=IncidentSerializer, responses={201: IncidentSerializer})
    def post(self, request, pk: int):
        org = visible_organisation(request, pk)
        if not request.user.has_perm("organisations.record_incident"):
            raise PermissionDenied()
        serializer = IncidentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = record_incident(
            organisation=org, actor=request.user, **serializer.validated_data
        )
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)


class IncidentImportApi(APIView):
    """CSV or XLSX with columns uscc, kind, occurred_on, description[, status, source]: all rows
    are recorded or none; the answer lists the errors row by row."""

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
        if not request.user.has_perm("organisations.record_incident"):
            raise PermissionDenied()
        upload = request.data.get("file")
        if upload is None or not hasattr(upload, "read"):
            return Response({"file": ["请上传CSV或XLSX文件。"]}, status=400)
        if upload.size > MAX_IMPORT_BYTES:
            return Response({"file": ["文件不能超过5 MB。"]}, status=400)
        report = import_incidents(data=upload.read(), actor=request.user)
        body = {
            "rows": report.rows,
            "created": report.created,
            "errors": [{"row": row, "detail": msg} for row, msg in report.errors],
        }
        return Response(body, status=201 if report.ok else 400)
