from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from yuanjiang.accounts import accountlog
from yuanjiang.accounts.models import AccountEvent
from yuanjiang.api.models import ApiToken
from yuanjiang.api.web_views import revoke


class Command(BaseCommand):
    help = "创建或撤销用户的接口令牌（令牌只显示一次）· create or revoke a user's API token (shown once)"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for USERNAME and print it once")
        create.add_argument("username")
        create.add_argument("--name", default="命令行创建", help="what the token is for")
        create.add_argument("--read-only", action="store_true", help="the token only reads")
        rev = sub.add_parser("revoke", help="revoke every token of USERNAME whose prefix is given")
        rev.add_argument("username")
        rev.add_argument("prefix", help="the token's first characters, as the token page lists them")

    def handle(self, *args, action=None, username=None, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有账号“{username}”。")
        if action == "create":
            token, raw = ApiToken.issue(user, options["name"], read_only=options["read_only"])
            accountlog.record(
                AccountEvent.Kind.API_TOKEN_CREATED,
                target=user,
                detail=f"令牌“{token.name}”（{token.prefix}…）{'只读' if token.read_only else '可读写'}",
            )
            self.stdout.write(raw)
            return
        tokens = ApiToken.objects.active().filter(user=user, prefix__startswith=options["prefix"][:10])
        if not tokens:
            raise CommandError(f"账号“{username}”没有以“{options['prefix']}”开头的有效令牌。")
        for token in tokens:
            revoke(token)
        self.stderr.write(f"已撤销 {len(tokens)} 个令牌。")
