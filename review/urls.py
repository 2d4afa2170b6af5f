from django.urls import path

from . import decision_views, operations, views

app_name = "review"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("assignments/", views.MyAssignmentsView.as_view(), name="my_assignments"),
    path("assignments/<int:pk>/", views.ScoreView.as_view(), name="score"),
    path("assignments/<int:pk>/submit/", operations.ScoreSubmitView.as_view(), name="submit"),
    path(
        "assignments/<int:pk>/consensus/",
        operations.OnsiteConsensusView.as_view(),
        name="onsite_consensus",
    ),
    path(
        "assignments/<int:pk>/revoke/",
        operations.RevokeAssignmentView.as_view(),
        name="revoke_assignment",
    ),
    path("experts/", views.ExpertsView.as_view(), name="experts"),
    path("experts/new/", operations.AddExpertView.as_view(), name="expert_add"),
    path("experts/<int:pk>/", views.ExpertDetailView.as_view(), name="expert_detail"),
    path("experts/<int:pk>/status/", operations.ExpertStatusView.as_view(), name="expert_status"),
    path(
        "experts/<int:pk>/profile/", operations.ExpertProfileView.as_view(), name="expert_profile"
    ),
    path(
        "experts/<int:pk>/conflicts/",
        operations.ExpertConflictView.as_view(),
        name="expert_conflict",
    ),
    path(
        "conflicts/<int:pk>/decision/",
        views.ConflictDecisionView.as_view(),
        name="conflict_decision",
    ),
    path("cycles/", views.CyclesView.as_view(), name="cycles"),
    path("cycles/<int:pk>/", views.CycleReviewView.as_view(), name="cycle"),
    path(
        "cycles/<int:pk>/auto-assign/<slug:stage>/",
        operations.AutoAssignView.as_view(),
        name="auto_assign",
    ),
    path("cycles/<int:pk>/shortlist/", operations.ShortlistView.as_view(), name="shortlist"),
    path("cycles/<int:pk>/candidates/", operations.CandidatesView.as_view(), name="candidates"),
    path(
        "cycles/<int:pk>/decision/",
        decision_views.CommitteeDecisionView.as_view(),
        name="decision",
    ),
    path("cycles/<int:pk>/ranking/", views.RankingView.as_view(), name="ranking"),
    path("cycles/<int:pk>/ranking.xlsx", views.RankingXlsxView.as_view(), name="ranking_xlsx"),
    path("applications/<int:pk>/", views.ApplicationReviewView.as_view(), name="application"),
    path("applications/<int:pk>/assign/", operations.AssignView.as_view(), name="assign"),
    path(
        "applications/<int:pk>/consensus/",
        operations.DocumentConsensusView.as_view(),
        name="document_consensus",
    ),
    path("applications/<int:pk>/visit/", operations.VisitScheduleView.as_view(), name="visit"),
    path("applications/<int:pk>/survey/", operations.SurveyEntryView.as_view(), name="survey"),
    path(
        "applications/<int:pk>/survey-links/",
        operations.SurveyTokensView.as_view(),
        name="survey_tokens",
    ),
    path("applications/<int:pk>/<slug:kind>.pdf", views.ReportView.as_view(), name="report"),
]
