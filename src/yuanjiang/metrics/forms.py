from django import forms

from yuanjiang.common.forms import DATE, ProgramRecordMixin, ScopedModelForm
from yuanjiang.metrics import registry
from yuanjiang.metrics.models import ManualValue


def reported_choices():
    return [(m.code, f"{m.label}（{m.unit}）") for m in registry.reported_metrics()]


class ManualValueForm(ProgramRecordMixin, ScopedModelForm):
    metric = forms.ChoiceField(label="指标", choices=())

    class Meta:
        model = ManualValue
        fields = [
            "program",
            "metric",
            "period_start",
            "period_end",
            "value",
            "source",
            "reporter",
            "source_date",
            "note",
        ]
        widgets = {"period_start": DATE, "period_end": DATE, "source_date": DATE}
        error_messages = {"source": {"required": "请填写来源文件：没有来源的报送数不予录入。"}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["metric"].choices = [("", "---------"), *reported_choices()]
        self.fields["metric"].error_messages["invalid_choice"] = "所选指标不是报送类指标。"
