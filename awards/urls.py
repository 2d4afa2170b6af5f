from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("awards/", views.RegistryView.as_view(), name="registry"),
    path("verify/<str:code>/", views.VerifyView.as_view(), name="verify"),
    path("publicity/", views.PublicityView.as_view(), name="publicity"),
    path("publicity/<int:pk>/objection/", views.ObjectionView.as_view(), name="objection"),
    path(
        "objections/<int:pk>/resolve/",
        views.ResolveObjectionView.as_view(),
        name="resolve_objection",
    ),
    path("approvals/", views.ApprovalsView.as_view(), name="approvals"),
    path("survey/<str:token>/", views.SurveyAnswerView.as_view(), name="survey"),
]
