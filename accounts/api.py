from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.throttling import SharedRateThrottle

from .serializers import MeSerializer, RegisterOrganisationSerializer, RegisterSerializer
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
    throttle_classes = [SharedRateThrottle]
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
