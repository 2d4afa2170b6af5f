from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from awards.public_cache import cache_public_page

from . import views

admin.site.site_header = "质量奖评审管理"
admin.site.site_title = "质量奖评审管理"
admin.site.index_title = "评审委员会工作台"

urlpatterns = [
    path("", cache_public_page(views.HomeView.as_view()), name="home"),
    path("healthz/", views.healthz, name="healthz"),
    # No CSRF token on the switcher: a page that carries none can be cached whole, and the worst
    # a forged request can do is change the reader's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
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
