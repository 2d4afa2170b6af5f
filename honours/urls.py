from django.urls import path

from . import views

app_name = "honours"

urlpatterns = [
    path(
        "organisations/<int:pk>/",
        views.OrganisationHonoursView.as_view(),
        name="organisation",
    ),
    path(
        "organisations/<int:pk>/honours/<int:honour>/reward/",
        views.HonourRewardView.as_view(),
        name="reward",
    ),
    path("import/", views.HonourImportView.as_view(), name="import"),
    path("overview/", views.OverviewIndexView.as_view(), name="overview_index"),
    path("overview/<int:pk>/", views.OverviewView.as_view(), name="overview"),
]
