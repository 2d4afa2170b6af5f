from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.LoginCodeView.as_view(), name="login_code"),
    path("two-factor/", views.TwoFactorView.as_view(), name="two_factor"),
    path("two-factor/remove/", views.TwoFactorRemoveView.as_view(), name="two_factor_remove"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_changed"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html"),
        name="password_changed",
    ),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register/done/", views.RegisterDoneView.as_view(), name="register_done"),
    path("claims/", views.ClaimListView.as_view(), name="claims"),
    path("claims/mine/", views.MyClaimsView.as_view(), name="my_claims"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim_detail"),
    path("claims/<int:pk>/evidence/", views.ClaimSubmitView.as_view(), name="claim_submit"),
    path("claims/<int:pk>/decision/", views.ClaimDecideView.as_view(), name="claim_decide"),
    path("claims/<int:pk>/refile/", views.ClaimRefileView.as_view(), name="claim_refile"),
    path(
        "claims/<int:pk>/evidence/<int:evidence_id>/",
        views.ClaimEvidenceFileView.as_view(),
        name="claim_evidence",
    ),
]
