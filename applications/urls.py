from django.urls import path

from . import credit_views, views

app_name = "applications"

urlpatterns = [
    path("mine/", views.MyApplicationsView.as_view(), name="mine"),
    path("new/<int:cycle_id>/", views.CreateApplicationView.as_view(), name="create"),
    path("recommend/", views.StaffListView.as_view(queue=True), name="recommend_list"),
    path(
        "recommended/",
        views.SignedRecommendationsView.as_view(),
        name="signed_recommendations",
    ),
    path("office/", views.StaffListView.as_view(), name="office_list"),
    path("credit-import/", credit_views.CreditImportView.as_view(), name="credit_import"),
    path(
        "credit-import/confirm/",
        credit_views.CreditImportConfirmView.as_view(),
        name="credit_import_confirm",
    ),
    path("<int:pk>/", views.ApplicationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/<slug:section>/", views.SectionEditView.as_view(), name="edit"),
    path(
        "<int:pk>/documents/<int:document_id>/",
        views.DocumentDownloadView.as_view(),
        name="document",
    ),
    path(
        "<int:pk>/documents/<int:document_id>/remove/",
        views.RemoveDocumentView.as_view(),
        name="remove_document",
    ),
    path("<int:pk>/versions/<int:number>/pdf/", views.VersionPdfView.as_view(), name="version_pdf"),
    path("<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("<int:pk>/preview/pdf/", views.PreviewPdfView.as_view(), name="preview_pdf"),
    path("<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/recommend/", views.RecommendView.as_view(), name="recommend"),
    path("<int:pk>/eligibility/", views.DecideView.as_view(), name="decide"),
]
