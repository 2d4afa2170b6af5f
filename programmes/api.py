from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from .serializers import ProgrammeSerializer
from .services import create_programme


class ProgrammeCreateApi(APIView):
    @extend_schema(request=ProgrammeSerializer, responses={201: ProgrammeSerializer})
    def post(self, request):
        if not request.user.has_perm("programmes.create_programme"):
            raise PermissionDenied()
        serializer = ProgrammeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        programme = create_programme(actor=request.user, **serializer.validated_data)
        return Response(ProgrammeSerializer(programme).data, status=status.HTTP_201_CREATED)
