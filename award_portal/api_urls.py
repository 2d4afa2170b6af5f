from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from accounts import api as accounts_api
from applications import api as applications_api
from notifications import api as notifications_api
from organisations import api as organisations_api
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
    path(
        "applications/",
        applications_api.ApplicationListCreateApi.as_view(),
        name="api-applications",
    ),
    path(
        "applications/<int:pk>/",
        applications_api.ApplicationDetailApi.as_view(),
        name="api-application",
    ),
    path(
        "applications/<int:pk>/documents/",
        applications_api.DocumentListUploadApi.as_view(),
        name="api-application-documents",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_id>/file/",
        applications_api.DocumentFileApi.as_view(),
        name="api-application-document-file",
    ),
    path(
        "applications/<int:pk>/submit/",
        applications_api.SubmitApi.as_view(),
        name="api-application-submit",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        applications_api.WithdrawApi.as_view(),
        name="api-application-withdraw",
    ),
    path(
        "applications/<int:pk>/recommendations/",
        applications_api.RecommendationApi.as_view(),
        name="api-application-recommendations",
    ),
    path(
        "applications/<int:pk>/eligibility/",
        applications_api.EligibilityApi.as_view(),
        name="api-application-eligibility",
    ),
    path(
        "organisations/<int:pk>/",
        organisations_api.OrganisationApi.as_view(),
        name="api-organisation",
    ),
    path(
        "organisations/<int:pk>/incidents/",
        organisations_api.IncidentApi.as_view(),
        name="api-organisation-incidents",
    ),
    path(
        "organisations/incidents/import/",
        organisations_api.IncidentImportApi.as_view(),
        name="api-incident-import",
    ),
    path(
        "notifications/", notifications_api.NotificationListApi.as_view(), name="api-notifications"
    ),
]
