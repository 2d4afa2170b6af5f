from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.throttling import SharedRateThrottle

from .enums import ClaimStatus
from .models import ClaimEvidence, OrganisationClaim
from .selectors import claim_with_holders, visible_claim
from .serializers import (
    ClaimDecisionSerializer,
    ClaimSerializer,
    ClaimSubmitSerializer,
    MeSerializer,
    OfficeClaimSerializer,
    RegisteredSerializer,
    RegisterOrganisationSerializer,
    RegisterSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from .services.claims import decide_claim, submit_claim
from .services.tokens import issue_api_token, token_expires_at
from .services.two_factor import check_api_login
from .services.users import REGISTRATION_RECEIVED, register_enterprise
from .views import evidence_response


def _nest_errors(exc: ValidationError) -> dict:
    """Model errors of the organisation go under ``organisation``; password errors stay flat."""
    if not hasattr(exc, "error_dict"):
        return {"password": exc.messages}
    org_fields = set(RegisterOrganisationSerializer().fields)
    nested = {k: v for k, v in exc.message_dict.items() if k in org_fields}
    flat = {k: v for k, v in exc.message_dict.items() if k not in org_fields}
    return {**flat, **({"organisation": nested} if nested else {})}


class RegisterApi(APIView):
    """Public: an enterprise user and its organisation. ``201 {"detail"}`` with the same neutral
    message whatever exists; a USCC held by another account files a claim (docs/claims.md)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [SharedRateThrottle]
    throttle_scope = "register"

    @extend_schema(request=RegisterSerializer, responses={201: RegisteredSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            register_enterprise(
                username=data["username"],
                password=data["password"],
                organisation=data["organisation"],
                email=data.get("email", ""),
                name=data.get("name", ""),
                phone=data.get("phone", ""),
            )
        except ValidationError as exc:
            return Response(_nest_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        # The same answer whether the username or the USCC existed (issue 8 item 13).
        return Response({"detail": str(REGISTRATION_RECEIVED)}, status=status.HTTP_201_CREATED)


class MeApi(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class TokenApi(APIView):
    """``POST /api/v1/auth/token/`` (API.md): ``{"token"}`` for a username and password, plus
    ``expires_at``. The token is the current one while valid, else a new one. A user with a
    two-factor device also sends ``otp``; one who must have a device and has none gets 400."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        check_api_login(user=user, token=serializer.validated_data.get("otp"))
        token = issue_api_token(user=user)
        return Response(
            TokenSerializer({"token": token.key, "expires_at": token_expires_at(token)}).data
        )


def _claim_serializer(user, claim, **kwargs):
    cls = OfficeClaimSerializer if user.has_perm("accounts.list_claims") else ClaimSerializer
    return cls(claim, **kwargs)


class ClaimListApi(ListAPIView):
    """``GET /api/v1/accounts/claims/``: every organisation claim, for the office and the
    supervisor; ``?status=`` filters."""

    serializer_class = OfficeClaimSerializer
    queryset = OrganisationClaim.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return self.queryset
        if not self.request.user.has_perm("accounts.list_claims"):
            raise PermissionDenied()
        qs = claim_with_holders().order_by("-created_at", "-id")
        status_filter = self.request.query_params.get("status")
        if status_filter:
            if status_filter not in ClaimStatus.values:
                raise ApiValidationError(
                    {"status": [f"状态应为 {', '.join(ClaimStatus.values)} 之一。"]}
                )
            qs = qs.filter(status=status_filter)
        return qs


class ClaimDetailApi(APIView):
    @extend_schema(responses=OfficeClaimSerializer)
    def get(self, request, pk: int):
        claim = visible_claim(request.user, pk)
        return Response(_claim_serializer(request.user, claim).data)


class ClaimSubmitApi(APIView):
    """The claimant's proof: multipart ``{licence, authorisation?, statement?}``."""

    parser_classes = (MultiPartParser,)

    @extend_schema(request=ClaimSubmitSerializer, responses=ClaimSerializer)
    def post(self, request, pk: int):
        claim = visible_claim(request.user, pk)
        if not request.user.has_perm("accounts.submit_claim", claim):
            raise PermissionDenied()
        serializer = ClaimSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        claim = submit_claim(
            claim=claim,
            licence=data["licence"],
            authorisation=data.get("authorisation"),
            statement=data.get("statement", ""),
            actor=request.user,
        )
        return Response(ClaimSerializer(visible_claim(request.user, claim.pk)).data)


class ClaimDecisionApi(APIView):
    """The office's decision: ``{decision: approve|reject, reasons, keep_other_users?}``."""

    @extend_schema(request=ClaimDecisionSerializer, responses=OfficeClaimSerializer)
    def post(self, request, pk: int):
        claim = visible_claim(request.user, pk)
        if not request.user.has_perm("accounts.decide_claim", claim):
            raise PermissionDenied()
        serializer = ClaimDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        claim = decide_claim(
            claim=claim,
            approve=data["decision"] == "approve",
            reasons=data["reasons"],
            keep_other_users=data["keep_other_users"],
            actor=request.user,
        )
        return Response(OfficeClaimSerializer(visible_claim(request.user, claim.pk)).data)


class ClaimEvidenceFileApi(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk: int, evidence_id: int):
        claim = visible_claim(request.user, pk)
        evidence = ClaimEvidence.objects.filter(pk=evidence_id, claim=claim).first()
        if evidence is None:
            raise Http404
        return evidence_response(evidence)
