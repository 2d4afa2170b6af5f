from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("awards/", views.RegistryView.as_view(), name="registry"),
    path(
        "register/integrators/",
        views.RegisterIntegratorsView.as_view(),
        name="register_integrators",
    ),
    path("verify/<str:code>/", views.VerifyView.as_view(), name="verify"),
    path("publicity/", views.PublicityView.as_view(), name="publicity"),
    path("publicity/<int:pk>/objection/", views.ObjectionView.as_view(), name="objection"),
    path(
        "objections/<int:pk>/resolve/",
        views.ResolveObjectionView.as_view(),
        name="resolve_objection",
    ),
    path(
        "cycles/<int:pk>/publicity/",
        views.StartPublicityView.as_view(),
        name="start_publicity",
    ),
    path("approvals/", views.ApprovalsView.as_view(), name="approvals"),
    path("survey/<str:token>/", views.SurveyAnswerView.as_view(), name="survey"),
    path("exposures/", views.ExposureView.as_view(), name="exposures"),
    path("announcements/", views.AnnouncementsView.as_view(), name="announcements"),
    path("awards/office/", views.AwardOfficeListView.as_view(), name="office_list"),
    path("awards/import/", views.ImportView.as_view(), name="import"),
    path("awards/<int:pk>/", views.AwardDetailView.as_view(), name="detail"),
    path(
        "awards/<int:pk>/certificates/<int:certificate_id>/",
        views.CertificateDownloadView.as_view(),
        name="certificate",
    ),
    path("awards/<int:pk>/dossier.<str:fmt>", views.DossierView.as_view(), name="dossier"),
]
