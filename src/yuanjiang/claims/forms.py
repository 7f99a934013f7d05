from django import forms

from yuanjiang.accounts import scoping
from yuanjiang.claims import reading
from yuanjiang.org.models import Organization, Program
from yuanjiang.org.periods import Period, PeriodError


class ClaimCheckForm(forms.Form):
    program = forms.ModelChoiceField(
        label="援疆项目组",
        queryset=Program.objects.none(),
        error_messages={"invalid_choice": "请选择您可填报的援疆项目组。"},
    )
    title = forms.CharField(label="标题", max_length=200, required=False)
    text = forms.CharField(
        label="粘贴文本", widget=forms.Textarea(attrs={"rows": 12}), required=False, strip=False
    )
    file = forms.FileField(label="或上传文件（.txt / .docx）", required=False)
    period = forms.CharField(
        label="统计期",
        required=False,
        help_text="开始日期:结束日期，如 2023-04-01:2024-06-30；留空为进疆以来",
    )
    text_date = forms.DateField(
        label="文本日期",
        required=False,
        help_text="用于换算“今年”“去年8月”；留空时从文本首尾查找",
        error_messages={"invalid": "请输入有效日期，如 2024-06-21。"},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = (
            scoping.programs(user, scoping.CHANGE).select_related("provider").order_by("name")
        )

    @property
    def groups(self):
        return [("", [f for f in self if not f.is_hidden])]

    def clean_period(self):
        value = (self.cleaned_data.get("period") or "").strip()
        if not value:
            return None
        try:
            return Period.parse(value)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        text = data.get("text") or ""
        upload = data.get("file")
        if upload and text.strip():
            raise forms.ValidationError("请粘贴文本或上传文件，二者选一。")
        try:
            if upload:
                if upload.size > reading.MAX_BYTES:
                    raise reading.TextError(
                        f"文件过大：{upload.name}（{upload.size} 字节），上限为 {reading.MAX_BYTES} 字节。"
                    )
                data["text"] = reading.text_from_bytes(upload.read(), upload.name)
                data["source_name"] = upload.name[:255]
            else:
                data["text"] = reading.validate_text(text, "文本")
                data["source_name"] = ""
        except reading.TextError as exc:
            self.add_error("file" if upload else "text", str(exc))
        return data


class OrgClaimCheckForm(ClaimCheckForm):
    """A roll-up check of a text against an organization's programs (前方指挥部, 省援疆办): not kept."""

    organization = forms.ModelChoiceField(
        label="组织机构（汇总）",
        queryset=Organization.objects.none(),
        error_messages={"invalid_choice": "请选择您可汇总查看的组织机构。"},
    )

    field_order = ("organization", "title", "text", "file", "period", "text_date")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["program"]
        self.fields["organization"].queryset = scoping.organizations(user).order_by("path")
        self.fields[
            "period"
        ].help_text = "开始日期:结束日期，如 2024-01-01:2024-06-30；留空为各项目组进疆以来"
