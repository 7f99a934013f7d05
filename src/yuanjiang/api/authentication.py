"""`Authorization: Token yj_…` (or `Bearer yj_…`): the token's user, scoped exactly like them; each use
is written to the account log."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from yuanjiang.accounts import accountlog
from yuanjiang.accounts.models import AccountEvent
from yuanjiang.api.models import ApiToken

KEYWORDS = ("token", "bearer")


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Authorization 请求头应为“Token 令牌”，中间一个空格。")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("令牌只含英文字母、数字、- 和 _。") from exc
        token = ApiToken.lookup(raw)
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效或已撤销。")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("令牌所属账号已停用。")
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        accountlog.record(
            AccountEvent.Kind.API_TOKEN_USED,
            target=token.user,
            actor=token.user,
            request=request._request,
            detail=f"{request.method} 令牌“{token.name}”（{token.prefix}…）"[:500],
        )
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "yuanjiang.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "“Token yj_…” · an API token (个人中心 → 接口令牌)",
        }


class ReadOnlyToken(permissions.BasePermission):
    """A read-only token reads; it never writes."""

    message = "这是只读令牌，只能查询，不能新增、修改或删除。"

    def has_permission(self, request, view):
        token = request.auth
        if isinstance(token, ApiToken) and token.read_only:
            return request.method in permissions.SAFE_METHODS
        return True
