"""Applications API (API.md "An application's life"): thin views over the services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.dates import today
from organisations import credit_import

from .downloads import document_response
from .models import Application, Document
from .selectors import application_rows, applications_for, live_documents, visible_application
from .serializers import (
    ApplicationCreateSerializer,
    ApplicationListSerializer,
    ApplicationSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    EligibilityDecisionSerializer,
    RecommendationSerializer,
)
from .services.credit import import_credit_data
from .services.documents import upload_document
from .services.drafting import create_application, save_form
from .services.eligibility import eligibility_checks_on, submission_date
from .services.intake import decide_eligibility
from .services.recommendation import recommend_application
from .services.submission import submit_application, withdraw_application


class ApplicationListCreateApi(generics.ListAPIView):
    serializer_class = ApplicationListSerializer
    # The schema's model; get_queryset scopes the list to the caller.
    queryset = Application.objects.none()
    filterset_fields = ("status", "cycle")

    def get_queryset(self):
        return application_rows(applications_for(self.request.user)).order_by("-id")

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationSerializer})
    def post(self, request):
        if not request.user.has_perm("applications.create_application"):
            raise PermissionDenied()
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        app = create_application(
            organisation=request.user.organisation,
            cycle=serializer.validated_data["cycle"],
            actor=request.user,
        )
        return Response(ApplicationSerializer(app).data, status=status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    @extend_schema(responses=ApplicationSerializer)
    def get(self, request, pk: int):
        return Response(ApplicationSerializer(visible_application(request, pk)).data)

    @extend_schema(request=ApplicationSerializer, responses=ApplicationSerializer)
    def patch(self, request, pk: int):
        app = visible_application(request, pk, "applications.change_application")
        if not isinstance(request.data, dict):
            return Response({"detail": "请求体应为JSON对象。"}, status=400)
        app = save_form(application=app, data=dict(request.data), actor=request.user)
        return Response(ApplicationSerializer(app).data)


class DocumentListUploadApi(APIView):
    parser_classes = (MultiPartParser, FormParser)

    @extend_schema(responses=DocumentSerializer(many=True))
    def get(self, request, pk: int):
        app = visible_application(request, pk)
        return Response(DocumentSerializer(live_documents(app), many=True).data)

    @extend_schema(request=DocumentUploadSerializer, responses={201: DocumentSerializer})
    def post(self, request, pk: int):
        app = visible_application(request, pk, "applications.change_application")
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = upload_document(
            application=app,
            upload=serializer.validated_data["file"],
            kind=serializer.validated_data["kind"],
            actor=request.user,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


# The types an upload may have (checked by content, applications.services.documents).
DOCUMENT_MEDIA_TYPES = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


class DocumentFileApi(APIView):
    """The file itself, only as an attachment, only to those who may see the application."""

    @extend_schema(
        responses={(200, media_type): OpenApiTypes.BINARY for media_type in DOCUMENT_MEDIA_TYPES}
    )
    def get(self, request, pk: int, document_id: int):
        app = visible_application(request, pk)
        document = Document.objects.filter(pk=document_id, application=app).first()
        if document is None:
            raise Http404
        return document_response(document)


class SubmitApi(APIView):
    @extend_schema(request=None, responses=ApplicationSerializer)
    def post(self, request, pk: int):
        app = visible_application(request, pk, "applications.submit_application")
        app = submit_application(application=app, actor=request.user)
        return Response(ApplicationSerializer(app).data)


class WithdrawApi(APIView):
    @extend_schema(request=None, responses=ApplicationSerializer)
    def post(self, request, pk: int):
        app = visible_application(request, pk, "applications.withdraw_application")
        reason = (
            str(request.data.get("reason", ""))[:2000] if isinstance(request.data, dict) else ""
        )
        app = withdraw_application(application=app, actor=request.user, reason=reason)
        return Response(ApplicationSerializer(app).data)


class RecommendationApi(APIView):
    @extend_schema(request=RecommendationSerializer, responses={201: RecommendationSerializer})
    def post(self, request, pk: int):
        app = visible_application(request, pk, "applications.recommend_application")
        serializer = RecommendationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rec = recommend_application(
            application=app, actor=request.user, **serializer.validated_data
        )
        return Response(RecommendationSerializer(rec).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=RecommendationSerializer(many=True))
    def get(self, request, pk: int):
        app = visible_application(request, pk)
        return Response(RecommendationSerializer(app.recommendations.all(), many=True).data)


class EligibilityApi(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request, pk: int):
        app = visible_application(request, pk)
        day = today()
        # The checks on the submission date (what API.md names), and beside them the same
        # checks today: every later gate re-runs them on its own day (R11).
        checks, checks_today = eligibility_checks_on(app, None, day)
        return Response(
            {
                "on": submission_date(app),
                "checks": [c.as_dict() for c in checks],
                "today": {"on": day, "checks": [c.as_dict() for c in checks_today]},
            }
        )

    @extend_schema(request=EligibilityDecisionSerializer, responses=ApplicationSerializer)
    def post(self, request, pk: int):
        app = visible_application(request, pk, "applications.decide_eligibility")
        serializer = EligibilityDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        app = decide_eligibility(application=app, actor=request.user, **serializer.validated_data)
        return Response(ApplicationSerializer(app).data)


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


class CreditImportApi(APIView):
    """Credit grades (any scheme) and the serious-dishonesty list (R11.5) from a CSV, XLSX or
    JSON file (multipart ``file``) or JSON ``rows``: all rows or none, errors by row number;
    ``dry_run`` answers what would change without saving; the same file twice changes nothing.
    Columns and their meaning: ``organisations.credit_import``."""

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "dry_run": {"type": "boolean"},
                },
                "required": ["file"],
            },
            "application/json": {
                "type": "object",
                "properties": {
                    "rows": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "uscc": {"type": "string"},
                                "kind": {"type": "string", "enum": ["grade", "dishonest"]},
                                "grade": {"type": "string"},
                                "scheme": {"type": "string", "enum": ["A-D", "AAA-C"]},
                                "source": {"type": "string"},
                                "effective_on": {"type": "string", "format": "date"},
                                "removed_on": {"type": "string", "format": "date"},
                            },
                            "required": ["uscc", "kind", "source", "effective_on"],
                        },
                    },
                    "dry_run": {"type": "boolean"},
                },
                "required": ["rows"],
            },
        },
        responses={200: dict, 201: dict, 400: dict},
    )
    def post(self, request):
        if not request.user.has_perm("organisations.rate_credit"):
            raise PermissionDenied()
        data = request.data
        dry_run = _flag(data.get("dry_run")) if hasattr(data, "get") else False
        upload = data.get("file") if hasattr(data, "get") else None
        if upload is not None and hasattr(upload, "read"):
            if upload.size > credit_import.MAX_IMPORT_BYTES:
                return Response({"file": ["文件不能超过5 MB。"]}, status=400)
            report = import_credit_data(data=upload.read(), dry_run=dry_run, actor=request.user)
        elif hasattr(data, "get") and "rows" in data and not hasattr(data, "getlist"):
            report = import_credit_data(rows=data["rows"], dry_run=dry_run, actor=request.user)
        else:
            return Response({"file": ["请上传CSV、XLSX或JSON文件，或提交 rows。"]}, status=400)
        if not report.ok:
            return Response(report.as_dict(), status=400)
        return Response(report.as_dict(), status=200 if dry_run else 201)
