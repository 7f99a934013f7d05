"""Login lockout per account as well as per address (django-axes handler).

django-axes counts wrong passwords for each entry of AXES_LOCKOUT_PARAMETERS — here
[["username", "ip_address"], "username"] — and compares the largest count with one limit. One limit
for both would let five wrong passwords from anywhere lock any account; none per account let an
attacker try 5 passwords from each of as many addresses as they have. So: a user name is locked at
one address after AXES_FAILURE_LIMIT wrong passwords from it (YJ_LOGIN_FAILURE_LIMIT, 5), and
everywhere after ACCOUNT_FAILURE_LIMIT wrong passwords from any addresses
(YJ_ACCOUNT_FAILURE_LIMIT, 20), both within the lockout time (YJ_LOGIN_LOCKOUT_MINUTES).

An administrator unlocks an account in the admin (用户 → 解除登录锁定) or with
`./yj axes_reset_username USERNAME`; both, and every lockout, are in the account log.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from django.conf import settings
from django.db.models import Sum


def account_failure_limit() -> int:
    return int(getattr(settings, "ACCOUNT_FAILURE_LIMIT", 20))


class AccountLockoutHandler(AxesDatabaseHandler):
    def _counts(self, request, credentials) -> tuple[int, int]:
        """Wrong passwords within the lockout time: (this user name at this address, this user name
        anywhere), from the attempts of AXES_LOCKOUT_PARAMETERS in their order."""
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        pair = counts[0] if counts else 0
        account = counts[1] if len(counts) > 1 else 0
        if get_client_username(request, credentials) is None:
            account = 0  # no user name: nothing to count per account
        return pair, account

    def get_failures(self, request, credentials=None) -> int:
        """The count axes compares with AXES_FAILURE_LIMIT: the address's count, or the limit itself
        once the account's count reaches ACCOUNT_FAILURE_LIMIT."""
        pair, account = self._counts(request, credentials)
        if account >= account_failure_limit():
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def account_locked(self, request, credentials=None) -> bool:
        return self._counts(request, credentials)[1] >= account_failure_limit()
