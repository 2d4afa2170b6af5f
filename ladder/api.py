"""The award ladder's API (API.md "The award ladder"): programmes with their sources, and
nominations into a cycle. Thin views over ``ladder.services``."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.selectors import application_detail
from programmes.models import Cycle, Programme

from .models import Nomination
from .selectors import nominations_for
from .serializers import (
    LadderPatchSerializer,
    LadderProgrammeSerializer,
    NominationCreateSerializer,
    NominationSerializer,
)
from .services import create_programme_on_ladder, nominate, set_ladder


class ProgrammeCreateApi(APIView):
    @extend_schema(request=LadderProgrammeSerializer, responses={201: LadderProgrammeSerializer})
    def post(self, request):
        if not request.user.has_perm("programmes.create_programme"):
            raise PermissionDenied()
        serializer = LadderProgrammeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        programme = create_programme_on_ladder(actor=request.user, **serializer.validated_data)
        return Response(LadderProgrammeSerializer(programme).data, status=status.HTTP_201_CREATED)


def _visible_programme(request, pk: int) -> Programme:
    if not request.user.has_perm("ladder.follow_nominations"):
        raise PermissionDenied()
    programme = Programme.objects.filter(pk=pk).first()
    if programme is None or not request.user.has_perm("ladder.view_programme", programme):
        raise Http404  # staff of other programmes do not learn that it exists
    return programme


class ProgrammeDetailApi(APIView):
    @extend_schema(responses=LadderProgrammeSerializer)
    def get(self, request, pk: int):
        return Response(LadderProgrammeSerializer(_visible_programme(request, pk)).data)

    @extend_schema(request=LadderPatchSerializer, responses=LadderProgrammeSerializer)
    def patch(self, request, pk: int):
        programme = _visible_programme(request, pk)
        if not request.user.has_perm("ladder.change_programme", programme):
            raise PermissionDenied()
        serializer = LadderPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        set_ladder(programme=programme, actor=request.user, **serializer.validated_data)
        programme = Programme.objects.get(pk=programme.pk)
        return Response(LadderProgrammeSerializer(programme).data)


def _visible_cycle(request, pk: int) -> Cycle:
    """The upper cycle, for its programme's overseers and those of the programmes it takes
    nominations from (else 404); other roles 403."""
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
    user = request.user
    if not user.has_perm("ladder.follow_nominations"):
        raise PermissionDenied()
    if not user.has_perm("ladder.view_nominations", cycle):
        raise Http404
    return cycle


class NominationListCreateApi(generics.ListAPIView):
    serializer_class = NominationSerializer
    # The schema's model; get_queryset scopes the list to the cycle and the caller.
    queryset = Nomination.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        cycle = _visible_cycle(self.request, self.kwargs["pk"])
        return nominations_for(self.request.user, cycle)

    @extend_schema(request=NominationCreateSerializer, responses={201: NominationSerializer})
    def post(self, request, pk: int):
        cycle = _visible_cycle(request, pk)
        if not request.user.has_perm("ladder.nominate", cycle):
            raise PermissionDenied()
        serializer = NominationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lower = application_detail(serializer.validated_data["application"])
        if lower is None or not request.user.serves(lower.cycle.programme_id):
            # Another programme's application: as if it did not exist.
            return Response(
                {"application": ["没有这个申报，或不属于您所服务的质量奖。"]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        nomination = nominate(cycle=cycle, application=lower, actor=request.user)
        nomination = nominations_for(request.user, cycle).get(pk=nomination.pk)
        return Response(NominationSerializer(nomination).data, status=status.HTTP_201_CREATED)
