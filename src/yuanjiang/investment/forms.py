from django import forms

from yuanjiang.accounts import scoping
from yuanjiang.common.forms import DATE, ProgramRecordMixin, ScopedModelForm
from yuanjiang.investment.choices import ContactKind
from yuanjiang.investment.models import (
    Contact,
    Enterprise,
    Institution,
    InvestmentPhase,
    InvestmentProject,
    Park,
    ParkUpgrade,
    PromotionEvent,
)
from yuanjiang.org.models import Organization, Region

TEXT = forms.Textarea(attrs={"rows": 3})


class OwnerFieldMixin:
    """Shared records with an owner (Enterprise, Institution, Park): a new one belongs to the user's
    program (preselected when they have one); only a supervisor or admin registers reference data
    without an owner. The owner of an existing record is not changed here."""

    def _setup_owner(self):
        field = self.fields["owner"]
        if self.instance.pk:
            field.disabled = True
            return
        only = list(field.queryset[:2])
        if len(only) == 1:
            self.initial["owner"] = only[0].pk

    def clean_owner(self):
        owner = self.cleaned_data.get("owner")
        if self.instance.pk:
            return self.instance.owner
        user = self.user
        if owner is None and not (
            scoping.has_role(user, scoping.REFERENCE_ROLES) or getattr(user, "is_superuser", False)
        ):
            raise forms.ValidationError(
                "请选择登记的援疆项目组：只有前方指挥部或管理员可以登记不属于任何工作组的参考数据。"
            )
        return owner


class EnterpriseForm(OwnerFieldMixin, ScopedModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "industry",
            "origin",
            "is_leading",
            "contact_person",
            "contact_phone",
            "note",
            "owner",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self._setup_owner()


class InstitutionForm(OwnerFieldMixin, ScopedModelForm):
    class Meta:
        model = Institution
        fields = ["name", "kind", "location", "note", "owner"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self._setup_owner()


class ParkForm(OwnerFieldMixin, ScopedModelForm):
    class Meta:
        model = Park
        fields = ["name", "county", "focus_industries", "area", "address", "manager", "note", "owner"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self._setup_owner()
        self.fields["county"].queryset = Region.objects.filter(level=Region.Level.COUNTY)


class ParkUpgradeForm(ScopedModelForm):
    class Meta:
        model = ParkUpgrade
        fields = ["aid_project", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["aid_project"].queryset = self.fields["aid_project"].queryset.select_related("program")


class PromotionEventForm(ProgramRecordMixin, ScopedModelForm):
    class Meta:
        model = PromotionEvent
        fields = ["program", "title", "kind", "date", "place", "organizer", "note"]
        widgets = {"date": DATE, "note": TEXT}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # Organizers: the work groups and their front commands and provinces (clean() checks the
        # organizer is the program's own work group or above it).
        self.fields["organizer"].queryset = Organization.objects.filter(
            kind__in=[
                Organization.Kind.PROVINCE,
                Organization.Kind.FRONT_COMMAND,
                Organization.Kind.WORK_GROUP,
            ]
        )
        if not self.instance.pk:
            # Who was met: each becomes a contact of the event (later ones are added on the event's page).
            self.fields["enterprises_met"] = forms.ModelMultipleChoiceField(
                label="会见的企业",
                queryset=Enterprise.objects.all(),
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 8}),
                help_text="每家记为一条对接记录（日期为活动日期）；按住 Ctrl 多选",
            )
            self.fields["institutions_met"] = forms.ModelMultipleChoiceField(
                label="会见的机构",
                queryset=Institution.objects.all(),
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 6}),
                help_text="每家记为一条拜访记录（日期为活动日期）",
            )

    def save_related(self, instance):
        for field, kind in (
            ("enterprises_met", ContactKind.DOCKING),
            ("institutions_met", ContactKind.VISIT),
        ):
            for who in self.cleaned_data.get(field) or []:
                contact = Contact(program=instance.program, event=instance, date=instance.date, kind=kind)
                setattr(contact, "enterprise" if field == "enterprises_met" else "institution", who)
                contact.full_clean()
                contact.save()


class ContactForm(ProgramRecordMixin, ScopedModelForm):
    class Meta:
        model = Contact
        fields = ["program", "event", "date", "kind", "enterprise", "institution", "people", "outcome"]
        widgets = {"date": DATE, "outcome": TEXT}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if self.instance.event_id and not self.instance.pk:
            # Added from an event's page: the event is given.
            self.fields["event"].disabled = True
            self.fields["date"].initial = self.instance.event.date
        self.fields["event"].queryset = self.fields["event"].queryset.select_related("program")


class InvestmentProjectForm(ProgramRecordMixin, ScopedModelForm):
    fieldsets = (
        ("基本信息", ("program", "name", "enterprise", "cluster", "park", "township", "signed_event")),
        (
            "阶段日期（洽谈 → 签约 → 落户 → 开工 → 投产）",
            ("negotiation_date", "signed_date", "landed_date", "started_date", "operating_date"),
        ),
        (
            "投资与效益",
            ("planned_investment", "actual_investment", "expected_jobs", "actual_jobs", "annual_output"),
        ),
        ("其他", ("content", "note")),
    )

    class Meta:
        model = InvestmentProject
        fields = [
            "program",
            "name",
            "enterprise",
            "cluster",
            "park",
            "township",
            "signed_event",
            "negotiation_date",
            "signed_date",
            "landed_date",
            "started_date",
            "operating_date",
            "planned_investment",
            "actual_investment",
            "expected_jobs",
            "actual_jobs",
            "annual_output",
            "content",
            "note",
        ]
        widgets = {
            "content": TEXT,
            **dict.fromkeys(
                ["negotiation_date", "signed_date", "landed_date", "started_date", "operating_date"], DATE
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        editable = scoping.programs(user, scoping.CHANGE)
        # Parks of the counties the user works in (clean() checks the park is in the program's county).
        self.fields["park"].queryset = Park.objects.filter(county__programs__in=editable).distinct()
        self.fields["park"].error_messages["invalid_choice"] = "所选园区不存在，或不在本项目组的受援地。"
        self.fields["signed_event"].queryset = self.fields["signed_event"].queryset.select_related("program")


class InvestmentPhaseForm(ScopedModelForm):
    class Meta:
        model = InvestmentPhase
        fields = [
            "sequence",
            "name",
            "planned_investment",
            "annual_output",
            "content",
            "planned_start",
            "started_date",
            "planned_operation",
            "operating_date",
        ]
        widgets = {
            "content": TEXT,
            **dict.fromkeys(["planned_start", "started_date", "planned_operation", "operating_date"], DATE),
        }
