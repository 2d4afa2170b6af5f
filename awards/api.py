"""Publicity, objections and the announcement (API.md), and the public registry."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from applications.enums import ApplicationStatus as S
from applications.models import Application
from review.api import visible_cycle

from .models import Objection
from .services.publicity import announce_cycle, file_objection, resolve_objection, start_publicity


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


def in_publicity():
    return (
        Application.objects.filter(status=S.PUBLICITY)
        .select_related("organisation", "cycle__programme")
        .order_by("-cycle__publicity_starts_on", "organisation__name")
    )


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
    throttle_classes = [ScopedRateThrottle]
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
