from django.urls import path

from . import decision_views, views

app_name = "review"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("assignments/", views.MyAssignmentsView.as_view(), name="my_assignments"),
    path("assignments/<int:pk>/", views.ScoreView.as_view(), name="score"),
    path("experts/", views.ExpertsView.as_view(), name="experts"),
    path(
        "conflicts/<int:pk>/decision/",
        views.ConflictDecisionView.as_view(),
        name="conflict_decision",
    ),
    path("cycles/<int:pk>/", views.CycleReviewView.as_view(), name="cycle"),
    path(
        "cycles/<int:pk>/decision/",
        decision_views.CommitteeDecisionView.as_view(),
        name="decision",
    ),
    path("cycles/<int:pk>/ranking/", views.RankingView.as_view(), name="ranking"),
    path("cycles/<int:pk>/ranking.xlsx", views.RankingXlsxView.as_view(), name="ranking_xlsx"),
    path("applications/<int:pk>/", views.ApplicationReviewView.as_view(), name="application"),
    path("applications/<int:pk>/<slug:kind>.pdf", views.ReportView.as_view(), name="report"),
]
