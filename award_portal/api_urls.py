from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from accounts import api as accounts_api
from programmes import api as programmes_api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("accounts/register/", accounts_api.RegisterApi.as_view(), name="api-register"),
    path("accounts/me/", accounts_api.MeApi.as_view(), name="api-me"),
    path("programmes/", programmes_api.ProgrammeCreateApi.as_view(), name="api-programmes"),
    path("cycles/", programmes_api.CycleCreateApi.as_view(), name="api-cycles"),
    path("cycles/<int:pk>/", programmes_api.CycleDetailApi.as_view(), name="api-cycle"),
]
