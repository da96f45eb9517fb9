from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kairos import api
from kairos.dashboard import views as dashboard_views
from kairos.worker import views as worker_views


def form_page(view, title, **kwargs):
    return view.as_view(
        template_name="registration/form.html", extra_context={"title": title}, **kwargs
    )


auth_patterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        form_page(auth_views.PasswordChangeView, _("Change password")),
        name="password_change",
    ),
    path(
        "password/change/done/",
        form_page(auth_views.PasswordChangeDoneView, _("Password changed")),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        form_page(auth_views.PasswordResetView, _("Reset password")),
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        form_page(auth_views.PasswordResetDoneView, _("Check your email")),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        form_page(auth_views.PasswordResetConfirmView, _("Choose a new password")),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        form_page(auth_views.PasswordResetCompleteView, _("Password reset")),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    # First: the public API and the widget answer most requests, and resolving walks
    # this list in order.
    *api.urlpatterns,
    path("", include("kairos.integrations.urls")),
    path("", dashboard_views.home, name="home"),
    path("healthz", dashboard_views.health, name="health"),
    path("healthz/worker", worker_views.health, name="worker_health"),
    path("accounts/", include(auth_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("dashboard/", include("kairos.dashboard.urls")),
    path("dashboard/responses/", include("kairos.questionnaires.urls")),
    path("dashboard/segments/", include("kairos.segments.urls")),
    path("dashboard/campaigns/", include("kairos.campaigns.urls")),
    path("dashboard/callbacks/", include("kairos.callbacks.urls")),
    path("dashboard/reports/", include("kairos.reports.urls")),
    path("settings/privacy/", include("kairos.privacy.urls")),
    path("dashboard/notifications/", include("kairos.notifications.urls")),
    path("settings/webhooks/", include("kairos.integrations.webhook_urls")),
    path("settings/callbacks/", include("kairos.shop.urls")),
    path("settings/", include("kairos.accounts.urls")),
]
