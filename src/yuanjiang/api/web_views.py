"""The web pages of the API app: the user's own API tokens (create — shown once —, list, revoke; an
administrator revokes anyone's in the admin; each creation and revocation is in the account log) and
the program page's IATI download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from yuanjiang.accounts import accountlog, scoping
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


@login_required
def iati_download(request, slug):
    """The program's IATI 2.03 file, for anyone who may read the program (validated before it is sent)."""
    from yuanjiang.api import iati
    from yuanjiang.org.models import Program
    from yuanjiang.projects.models import AidProject

    program = get_object_or_404(scoping.restrict(Program.objects.all(), request.user), slug=slug)
    tree = iati.build(AidProject.objects.filter(program=program))
    problems = iati.validate(tree) + iati.code_errors(tree)
    if problems:  # never publish an invalid file: the message names the first problems
        return HttpResponse(
            "IATI 文件未通过校验：\n" + "\n".join(problems[:10]),
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(iati.to_bytes(tree), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="iati-{program.slug}.xml"'
    return response
