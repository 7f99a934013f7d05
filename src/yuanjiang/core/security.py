"""Security middleware and hooks the settings refer to: Content-Security-Policy, the idle and absolute
session timeouts, and django-axes' lockout page and client address."""

import time

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import render


class ContentSecurityPolicyMiddleware:
    """Send settings.CONTENT_SECURITY_POLICY with every response that sets none itself."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


SEEN = "_yj_seen"
SIGNED_IN = "_yj_signed_in"


class SessionTimeoutMiddleware:
    """Sign a user out after settings.SESSION_IDLE_TIMEOUT seconds without a request (sliding), and
    settings.SESSION_COOKIE_AGE seconds after signing in whatever the activity (the cookie's own age
    is the same, so the browser drops it too). The last-seen time is written at most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            seen = session.get(SEEN)
            signed_in = session.get(SIGNED_IN, now)
            idle = settings.SESSION_IDLE_TIMEOUT
            if (seen is not None and now - seen > idle) or now - signed_in > settings.SESSION_COOKIE_AGE:
                logout(request)
                from django.contrib import messages

                messages.info(request, "长时间未操作或登录时间过长，已自动退出，请重新登录。")
            elif seen is None or now - seen >= 60:
                session[SEEN] = now
        return self.get_response(request)


def stamp_session(sender, request, user, **kwargs):
    """On signing in: when, and last seen now (so the first request writes no session)."""
    now = int(time.time())
    request.session[SIGNED_IN] = now
    request.session[SEEN] = now


def lockout_response(request, original_response=None, credentials=None):
    """django-axes: the page shown when a user name is locked out, at this address or everywhere (429)."""
    from yuanjiang.accounts.lockout import AccountLockoutHandler, account_failure_limit

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
        "account": AccountLockoutHandler().account_locked(request, credentials),
        "account_limit": account_failure_limit(),
    }
    return render(request, "registration/lockout.html", context, status=429)


def client_ip(request) -> str:
    """The client's address for lockouts: the proxy's X-Forwarded-For (its last entry, the one the
    proxy itself added) only when a proxy is declared (YJ_TRUST_PROXY), else the peer address."""
    if getattr(settings, "TRUST_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login through a request (the login page, the admin).
    `authenticate()` without a request (code: scripts, the test client's `login()`) has no client
    address to lock out and is passed on to the password check."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
