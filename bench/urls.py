"""The portal's URLs and the benchmark's floor (bench/settings.py)."""

from django.http import HttpResponse
from django.urls import path

from award_portal.urls import urlpatterns as portal


def floor(request):
    """The floor every page is compared with: the framework and the middleware, nothing else."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench__/floor/", floor, name="bench-floor"), *portal]
