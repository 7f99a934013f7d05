from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from yuanjiang.accounts.views import AccountEventListView
from yuanjiang.common.autocomplete import autocomplete
from yuanjiang.core.views import ObjectChangeListView
from yuanjiang.org.views import home

admin.site.site_header = "援疆成效台账 · 系统管理"
admin.site.site_title = "援疆成效台账"

urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("autocomplete/<slug:kind>/", autocomplete, name="autocomplete"),
    path("", include("yuanjiang.org.urls")),
    path("projects/", include("yuanjiang.projects.urls")),
    path("health/", include("yuanjiang.health.urls")),
    path("talent/", include("yuanjiang.talent.urls")),
    path("investment/", include("yuanjiang.investment.urls")),
    path("education/", include("yuanjiang.education.urls")),
    path("culture/", include("yuanjiang.culture.urls")),
    path("consumption/", include("yuanjiang.consumption.urls")),
    path("metrics/", include("yuanjiang.metrics.urls")),
    path("reports/", include("yuanjiang.reports.urls")),
    path("review/", include("yuanjiang.review.urls")),
    path("claims/", include("yuanjiang.claims.urls")),
    path("ledgers/", include("yuanjiang.interop.urls")),
    path("warnings/", include("yuanjiang.warnings.urls")),
    path("changes/", ObjectChangeListView.as_view(), name="objectchange_list"),
    path("accounts/log/", AccountEventListView.as_view(), name="accountevent_list"),
    path("api/", include("yuanjiang.api.urls")),
    path("admin/", admin.site.urls),
]
