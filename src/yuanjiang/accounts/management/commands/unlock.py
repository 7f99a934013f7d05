"""``./yj unlock USERNAME``: lifts a login lockout (every address) and writes it to the account log."""

from axes.utils import reset
from django.core.management.base import BaseCommand, CommandError

from yuanjiang.accounts import accountlog
from yuanjiang.accounts.models import AccountEvent, User
from yuanjiang.core.context import acting_as


class Command(BaseCommand):
    help = "解除账号的登录锁定（记入账号日志）· Lift a user's login lockout (logged in the account log)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为“{username}”的账号。", returncode=2)
        removed = reset(username=username)
        with acting_as(None, source="command:unlock"):
            accountlog.record(AccountEvent.Kind.UNLOCKED, target=user, detail=f"清除{removed}条失败记录")
        self.stdout.write(f"已解除“{username}”的登录锁定（清除{removed}条失败记录）。")
