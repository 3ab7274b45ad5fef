from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from casework import views as casework_views

from .health import healthz

urlpatterns = [
    path("", casework_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("s/", include("satisfaction.public_urls")),  # the customer's one-time survey link: no login
    path("portal/", include("portal.urls")),  # the customer's complaints and proposals: no login
    path("captcha/", include("captcha.urls")),  # the portal's CAPTCHA images
    path("complaints/", include("complaints.urls")),
    path("proposals/", include("proposals.urls")),
    path("reports/", include("reports.urls")),
    # Campaign planning and approval, questionnaires' versions; the campaigns' own pages are the
    # survey pages' (satisfaction.urls).
    path("satisfaction/planning/", include("satisfaction.planning_urls", namespace="survey_planning")),
    path("satisfaction/", include("satisfaction.urls")),
    path("", include("casework.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
