from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as accounts_api
from applications import api as applications_api
from applications import api_cycles as cycles_api
from awards import api as awards_api
from awards import register_api
from awards.public_cache import cache_public_page
from honours import api as honours_api
from ladder import api as ladder_api
from notifications import api as notifications_api
from organisations import api as organisations_api
from regions import api as regions_api
from review import api as review_api

urlpatterns = [
    path(
        "organisations/<int:pk>/honours/",
        honours_api.HonourListApi.as_view(),
        name="api-organisation-honours",
    ),
    path("honours/import/", honours_api.HonourImportApi.as_view(), name="api-honours-import"),
    path(
        "honours/<int:pk>/reward/", honours_api.HonourRewardApi.as_view(), name="api-honour-reward"
    ),
    path(
        "honours/<int:pk>/evidence/",
        honours_api.HonourEvidenceApi.as_view(),
        name="api-honour-evidence",
    ),
    path(
        "programmes/<int:pk>/overview/",
        honours_api.OverviewApi.as_view(),
        name="api-programme-overview",
    ),
    path("regions/<str:code>/", regions_api.DivisionApi.as_view(), name="api-region"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", accounts_api.TokenApi.as_view(), name="api-token"),
    path("accounts/register/", accounts_api.RegisterApi.as_view(), name="api-register"),
    path("accounts/me/", accounts_api.MeApi.as_view(), name="api-me"),
    path("accounts/claims/", accounts_api.ClaimListApi.as_view(), name="api-claims"),
    path("accounts/claims/<int:pk>/", accounts_api.ClaimDetailApi.as_view(), name="api-claim"),
    path(
        "accounts/claims/<int:pk>/submit/",
        accounts_api.ClaimSubmitApi.as_view(),
        name="api-claim-submit",
    ),
    path(
        "accounts/claims/<int:pk>/decision/",
        accounts_api.ClaimDecisionApi.as_view(),
        name="api-claim-decision",
    ),
    path(
        "accounts/claims/<int:pk>/evidence/<int:evidence_id>/file/",
        accounts_api.ClaimEvidenceFileApi.as_view(),
        name="api-claim-evidence-file",
    ),
    path("programmes/", ladder_api.ProgrammeCreateApi.as_view(), name="api-programmes"),
    path("programmes/<int:pk>/", ladder_api.ProgrammeDetailApi.as_view(), name="api-programme"),
    path("cycles/", cycles_api.CycleCreateApi.as_view(), name="api-cycles"),
    path("cycles/<int:pk>/", cycles_api.CycleDetailApi.as_view(), name="api-cycle"),
    path(
        "cycles/<int:pk>/nominations/",
        ladder_api.NominationListCreateApi.as_view(),
        name="api-cycle-nominations",
    ),
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
        "credit/imports/",
        applications_api.CreditImportApi.as_view(),
        name="api-credit-imports",
    ),
    path(
        "notifications/", notifications_api.NotificationListApi.as_view(), name="api-notifications"
    ),
    path("experts/", review_api.ExpertListApi.as_view(), name="api-experts"),
    path("experts/me/pledge/", review_api.PledgeApi.as_view(), name="api-pledge"),
    path(
        "experts/calibration/", review_api.CalibrationApi.as_view(), name="api-expert-calibration"
    ),
    path(
        "applications/<int:pk>/assignments/",
        review_api.ApplicationAssignmentApi.as_view(),
        name="api-application-assignments",
    ),
    path(
        "cycles/<int:pk>/auto-assign/",
        review_api.CycleAutoAssignApi.as_view(),
        name="api-cycle-auto-assign",
    ),
    path("assignments/", review_api.MyAssignmentsApi.as_view(), name="api-assignments"),
    path(
        "assignments/<int:pk>/scores/",
        review_api.AssignmentScoresApi.as_view(),
        name="api-assignment-scores",
    ),
    path(
        "assignments/<int:pk>/revoke/",
        review_api.RevokeAssignmentApi.as_view(),
        name="api-assignment-revoke",
    ),
    path(
        "assignments/<int:pk>/submit/",
        review_api.AssignmentSubmitApi.as_view(),
        name="api-assignment-submit",
    ),
    path(
        "applications/<int:pk>/consensus/",
        review_api.ConsensusApi.as_view(),
        name="api-application-consensus",
    ),
    path(
        "applications/<int:pk>/survey/",
        review_api.SurveyApi.as_view(),
        name="api-application-survey",
    ),
    path(
        "applications/<int:pk>/feedback.pdf",
        review_api.FeedbackPdfApi.as_view(),
        name="api-application-feedback",
    ),
    path("cycles/<int:pk>/shortlist/", review_api.ShortlistApi.as_view(), name="api-shortlist"),
    path("cycles/<int:pk>/ranking/", review_api.RankingApi.as_view(), name="api-ranking"),
    path("cycles/<int:pk>/candidates/", review_api.CandidatesApi.as_view(), name="api-candidates"),
    path("cycles/<int:pk>/decision/", review_api.DecisionApi.as_view(), name="api-decision"),
    path("cycles/<int:pk>/publicity/", awards_api.PublicityApi.as_view(), name="api-publicity"),
    path("cycles/<int:pk>/announce/", awards_api.AnnounceApi.as_view(), name="api-announce"),
    path(
        "public/publicity/",
        cache_public_page(awards_api.PublicPublicityApi.as_view()),
        name="api-public-publicity",
    ),
    path(
        "public/objections/", awards_api.PublicObjectionApi.as_view(), name="api-public-objections"
    ),
    path(
        "objections/<int:pk>/resolve/",
        awards_api.ObjectionResolveApi.as_view(),
        name="api-objection-resolve",
    ),
    path(
        "organisations/<int:pk>/conflicts/",
        review_api.ConflictApi.as_view(),
        name="api-organisation-conflicts",
    ),
    path(
        "conflicts/<int:pk>/decision/",
        review_api.ConflictDecisionApi.as_view(),
        name="api-conflict-decision",
    ),
    path("awards/", cache_public_page(awards_api.AwardRegistryApi.as_view()), name="api-awards"),
    path("awards/import/", awards_api.AwardImportApi.as_view(), name="api-awards-import"),
    path(
        "awards/<int:pk>/certificate.pdf",
        awards_api.CertificatePdfApi.as_view(),
        name="api-award-certificate",
    ),
    path("awards/<int:pk>/visits/", awards_api.VisitApi.as_view(), name="api-award-visits"),
    path("awards/<int:pk>/cases/", awards_api.CaseOpenApi.as_view(), name="api-award-cases"),
    path("awards/<int:pk>/payments/", awards_api.PaymentApi.as_view(), name="api-award-payments"),
    path(
        "cases/<int:pk>/decision/", awards_api.CaseDecisionApi.as_view(), name="api-case-decision"
    ),
    path(
        "cases/<int:pk>/approve-revocation/",
        awards_api.ApproveRevocationApi.as_view(),
        name="api-case-approve",
    ),
    path(
        "public/verify/<str:code>/",
        cache_public_page(awards_api.VerifyApi.as_view()),
        name="api-verify",
    ),
    path("public/verify-pdf/", awards_api.VerifyPdfApi.as_view(), name="api-verify-pdf"),
    path("public/register/", register_api.RegisterApi.as_view(), name="api-public-register"),
    path(
        "public/register/signature/",
        register_api.RegisterSignatureApi.as_view(),
        name="api-public-register-signature",
    ),
    path(
        "public/register/certificate.pem",
        register_api.RegisterCertificateApi.as_view(),
        name="api-public-register-certificate",
    ),
    path(
        "public/register/feed.atom",
        register_api.RegisterFeedApi.as_view(),
        name="api-public-register-feed",
    ),
]
