"""GET /api/v1/regions/{code}/ (API.md, "The award ladder")."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import division


class DivisionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    full_name = serializers.CharField()
    level = serializers.CharField()
    parent = serializers.CharField(source="parent_id", allow_null=True)


class DivisionApi(APIView):
    """Anyone: a GB/T 2260 division code, its name, level and parent; 404 if unknown."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(responses=DivisionSerializer)
    def get(self, request, code: str):
        found = division(code)
        if found is None:
            raise Http404
        return Response(DivisionSerializer(found).data)
