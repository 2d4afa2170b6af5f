from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="list"),
    path("mine/", views.MyOrganisationView.as_view(), name="mine"),
    path("incidents/import/", views.IncidentImportView.as_view(), name="import"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="detail"),
]
