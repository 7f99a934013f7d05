from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from yuanjiang.accounts.views import AccountEventListView
from yuanjiang.common.autocomplete import autocomplete
from yuanjiang.core.views import ObjectChangeListView
from yuanjiang.org.views import home


def app_urls():
    """Every yuanjiang app that declares a `url_prefix` on its AppConfig has its urls.py included
    there, in INSTALLED_APPS order: adding an app needs no edit of this file."""
    return [
        path(config.url_prefix, include(f"{config.name}.urls"))
        for config in apps.get_app_configs()
        if config.name.startswith("yuanjiang.") and getattr(config, "url_prefix", None) is not None
    ]


admin.site.site_header = "援疆成效台账 · 系统管理"
admin.site.site_title = "援疆成效台账"

urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("autocomplete/<slug:kind>/", autocomplete, name="autocomplete"),
    *app_urls(),
    path("changes/", ObjectChangeListView.as_view(), name="objectchange_list"),
    path("accounts/log/", AccountEventListView.as_view(), name="accountevent_list"),
    path("admin/", admin.site.urls),
]
