from django.urls import path

from . import views
from .public_cache import cache_public_page

app_name = "awards"

urlpatterns = [
    path("awards/", cache_public_page(views.RegistryView.as_view()), name="registry"),
    path(
        "register/integrators/",
        views.RegisterIntegratorsView.as_view(),
        name="register_integrators",
    ),
    path("verify/<str:code>/", cache_public_page(views.VerifyView.as_view()), name="verify"),
    path("publicity/", cache_public_page(views.PublicityView.as_view()), name="publicity"),
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
    path("exposures/", cache_public_page(views.ExposureView.as_view()), name="exposures"),
    path(
        "announcements/", cache_public_page(views.AnnouncementsView.as_view()), name="announcements"
    ),
    path("awards/office/", views.AwardOfficeListView.as_view(), name="office_list"),
    path("awards/import/", views.ImportView.as_view(), name="import"),
    path("awards/import/one/", views.ImportOneView.as_view(), name="import_one"),
    path("awards/import/file/", views.ImportFileView.as_view(), name="import_file"),
    path("awards/<int:pk>/", views.AwardDetailView.as_view(), name="detail"),
    path("awards/<int:pk>/payments/", views.PaymentView.as_view(), name="payment"),
    path("awards/<int:pk>/rewards/", views.OtherRewardView.as_view(), name="other_reward"),
    path("awards/<int:pk>/clawbacks/", views.ClawbackView.as_view(), name="clawback"),
    path("awards/<int:pk>/visits/", views.VisitCreateView.as_view(), name="visit"),
    path("awards/<int:pk>/cases/", views.CaseOpenView.as_view(), name="case"),
    path("awards/<int:pk>/reissue/", views.ReissueView.as_view(), name="reissue"),
    path("awards/<int:pk>/recovered/", views.RecoveredView.as_view(), name="recovered"),
    path(
        "awards/<int:pk>/cases/<int:case>/decision/",
        views.CaseDecisionView.as_view(),
        name="decide",
    ),
    path(
        "awards/<int:pk>/cases/<int:case>/approval/",
        views.RevocationApprovalView.as_view(),
        name="approve",
    ),
    path(
        "awards/<int:pk>/certificates/<int:certificate_id>/",
        views.CertificateDownloadView.as_view(),
        name="certificate",
    ),
    path("awards/<int:pk>/dossier.<str:fmt>", views.DossierView.as_view(), name="dossier"),
]
