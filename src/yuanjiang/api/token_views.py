"""The user's own API tokens: create (the token is shown once), list, revoke. An administrator revokes
anyone's in the admin. Each creation and revocation is in the account log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from yuanjiang.accounts import accountlog
from yuanjiang.accounts.models import AccountEvent
from yuanjiang.api.models import ApiToken


@login_required
def token_list(request):
    shown = None
    error = ""
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        if not name:
            error = "请填写令牌的用途说明（例如“省平台对接”）。"
        elif len(name) > 100:
            error = "用途说明最多100个字。"
        else:
            read_only = request.POST.get("read_only") == "1"
            token, shown = ApiToken.issue(request.user, name, read_only=read_only)
            accountlog.record(
                AccountEvent.Kind.API_TOKEN_CREATED,
                target=request.user,
                request=request,
                detail=f"令牌“{token.name}”（{token.prefix}…）{'只读' if read_only else '可读写'}",
            )
    tokens = ApiToken.objects.filter(user=request.user)
    response = TemplateResponse(
        request, "api/tokens.html", {"tokens": tokens, "shown": shown, "error": error}
    )
    response["Cache-Control"] = "no-store"  # the page showing a new token is never cached
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        revoke(token, request=request)
        messages.success(request, f"已撤销令牌“{token.name}”。")
    return redirect("api:tokens")


def revoke(token: ApiToken, *, request=None):
    token.revoke()
    accountlog.record(
        AccountEvent.Kind.API_TOKEN_REVOKED,
        target=token.user,
        request=request,
        detail=f"令牌“{token.name}”（{token.prefix}…）",
    )
