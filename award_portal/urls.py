from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import views

admin.site.site_header = "质量奖评审管理"
admin.site.site_title = "质量奖评审管理"
admin.site.index_title = "评审委员会工作台"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("", include("awards.urls")),
    path("notifications/", include("notifications.urls")),
    path("applications/", include("applications.urls")),
    path("review/", include("review.urls")),
    path("organisations/", include("organisations.urls")),
    path("honours/", include("honours.urls")),
    path("ladder/", include("ladder.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("award_portal.api_urls")),
]
