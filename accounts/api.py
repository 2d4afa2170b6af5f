from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .serializers import (
    MeSerializer,
    RegisterOrganisationSerializer,
    RegisterSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from .services.tokens import issue_api_token, token_expires_at
from .services.users import register_enterprise


def _nest_errors(exc: ValidationError) -> dict:
    """Model errors of the organisation go under ``organisation``; password errors stay flat."""
    if not hasattr(exc, "error_dict"):
        return {"password": exc.messages}
    org_fields = set(RegisterOrganisationSerializer().fields)
    nested = {k: v for k, v in exc.message_dict.items() if k in org_fields}
    flat = {k: v for k, v in exc.message_dict.items() if k not in org_fields}
    return {**flat, **({"organisation": nested} if nested else {})}


class RegisterApi(APIView):
    """Public: an enterprise user and its organisation."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "register"

    @extend_schema(request=RegisterSerializer, responses={201: MeSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = register_enterprise(
                username=data["username"],
                password=data["password"],
                organisation=data["organisation"],
                email=data.get("email", ""),
                name=data.get("name", ""),
                phone=data.get("phone", ""),
            )
        except ValidationError as exc:
            return Response(_nest_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        return Response(MeSerializer(user).data, status=status.HTTP_201_CREATED)


class MeApi(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class TokenApi(APIView):
    """``POST /api/v1/auth/token/`` (API.md): ``{"token"}`` for a username and password, plus
    ``expires_at``. The token is the current one while valid, else a new one."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token = issue_api_token(user=user)
        return Response(
            TokenSerializer({"token": token.key, "expires_at": token_expires_at(token)}).data
        )
