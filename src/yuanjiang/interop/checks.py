"""`manage.py check` (and every start-up) refuses the apps' ledger declarations (`<app>/ledgers.py`)
when they name an unknown model, declare a kind or a model twice, or derive a ledger of an unscoped
model, so a bad declaration never reaches a page."""

from django.core.checks import Error, register


@register()
def ledgers_load(app_configs=None, **kwargs):
    from django.core.exceptions import ImproperlyConfigured

    from yuanjiang.interop import mapping

    try:
        mapping.ledgers()
    except (ImproperlyConfigured, LookupError, ValueError) as exc:
        return [Error(str(exc), id="interop.E001", hint="修改该应用的 ledgers.py（docs/ledgers.md）。")]
    return []
