"""`manage.py check` (and every start-up) refuses a default definition that names an undeclared metric
or has a malformed line, so a bad definition never reaches a page."""

from django.core.checks import Error, register


@register()
def default_definition_loads(app_configs=None, **kwargs):
    from yuanjiang.metrics import registry
    from yuanjiang.reports import definition as defs

    registry.autodiscover()
    try:
        defs.load_file(defs.DEFAULT_NAME)
    except defs.DefinitionError as exc:
        return [Error(str(exc), id="reports.E001", hint="修改 reports/definitions/default.toml。")]
    return []
