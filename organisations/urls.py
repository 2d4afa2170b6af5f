from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="list"),
    path("mine/", views.MyOrganisationView.as_view(), name="mine"),
    path("incidents/import/", views.IncidentImportView.as_view(), name="import"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("<int:pk>/profile/", views.ProfileUpdateView.as_view(), name="profile"),
    path("<int:pk>/credit/", views.CreditGradeView.as_view(), name="credit"),
    path("<int:pk>/incidents/", views.IncidentCreateView.as_view(), name="incident"),
    path(
        "<int:pk>/incidents/<int:incident>/status/",
        views.IncidentStatusView.as_view(),
        name="incident_status",
    ),
]
