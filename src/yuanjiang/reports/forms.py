from django import forms

from yuanjiang.common.forms import DATE, ScopedModelForm
from yuanjiang.metrics import registry
from yuanjiang.reports.models import Target


def metric_choices():
    return [("", "---------")] + [
        (m.code, f"{m.label}（{m.code}，{m.unit}）")
        for m in sorted(registry.all_metrics(), key=lambda m: m.code)
    ]


class TargetForm(ScopedModelForm):
    metric = forms.ChoiceField(label="指标", choices=metric_choices)

    class Meta:
        model = Target
        fields = ["program", "metric", "period_start", "period_end", "value", "note"]
        widgets = {"period_start": DATE, "period_end": DATE}
        error_messages = {
            "value": {
                "invalid": "请输入数字。",
                "max_digits": "目标值过大。",
                "max_decimal_places": "目标值最多保留两位小数。",
                "max_whole_digits": "目标值过大。",
            },
            "period_start": {"invalid": "请输入有效日期（如 2024-01-01）。"},
            "period_end": {"invalid": "请输入有效日期（如 2024-12-31）。"},
        }
