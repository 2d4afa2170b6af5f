from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.enums import Role
from applications.selectors import application_counts, cycle_phase

from .models import Cycle
from .serializers import CycleCreateSerializer, CycleSerializer
from .services import create_cycle


def _cycle_payload(cycle: Cycle) -> dict:
    counts = application_counts(cycle)
    context = {"counts": counts, "phase": cycle_phase(cycle, counts=counts)}
    return CycleSerializer(cycle, context=context).data


class CycleCreateApi(APIView):
    @extend_schema(request=CycleCreateSerializer, responses={201: CycleSerializer})
    def post(self, request):
        serializer = CycleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not request.user.has_perm("programmes.create_cycle", data["programme"]):
            raise PermissionDenied()
        cycle = create_cycle(actor=request.user, **data)
        return Response(_cycle_payload(cycle), status=status.HTTP_201_CREATED)


class CycleDetailApi(APIView):
    @extend_schema(responses=CycleSerializer)
    def get(self, request, pk: int):
        cycle = get_object_or_404(Cycle.objects.select_related("programme", "criteria_set"), pk=pk)
        if not request.user.has_role(*Role.values):
            raise PermissionDenied()
        if not request.user.has_perm("programmes.view_cycle_details", cycle):
            raise Http404  # staff of other programmes do not learn that it exists
        return Response(_cycle_payload(cycle))
