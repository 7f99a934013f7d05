import datetime as dt

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.views.generic import TemplateView

from yuanjiang.accounts import scoping
from yuanjiang.common import views as generic
from yuanjiang.education import charts, comparison, filters, forms, services
from yuanjiang.education.choices import PILOT_TRACKS, Subject, Track
from yuanjiang.education.models import ExamResult, Fund, FundDonation, FundGrant, School, TeachingClass
from yuanjiang.education.stats import METHOD
from yuanjiang.org.models import Program

# 学校


class SchoolListView(generic.ObjectListView):
    model = School
    template_name = "education/list.html"
    filterset_class = filters.SchoolFilterSet
    create_url_name = "education:school_create"


class SchoolDetailView(generic.ObjectDetailView):
    model = School
    select_related = ("program", "township")
    template_name = "education/school_detail.html"
    detail_columns = ("name", "program", "township", "stage", "note")

    def base_queryset(self):
        return (
            super()
            .base_queryset()
            .prefetch_related(
                "aid_projects",
                Prefetch("classes", queryset=TeachingClass.objects.order_by("-cohort", "grade", "name")),
            )
        )


class SchoolCreateView(generic.ObjectCreateView):
    model = School
    form_class = forms.SchoolForm
    success_message = "学校已登记。"


class SchoolEditView(generic.ObjectEditView):
    model = School
    form_class = forms.SchoolForm
    select_related = ("program",)
    success_message = "学校已保存。"


# 班级


class TeachingClassListView(generic.ObjectListView):
    model = TeachingClass
    template_name = "education/list.html"
    filterset_class = filters.TeachingClassFilterSet


class TeachingClassDetailView(generic.ObjectDetailView):
    model = TeachingClass
    select_related = ("school", "school__program")
    template_name = "education/teachingclass_detail.html"
    detail_columns = ("name", "school", "cohort", "grade", "track", "aid_teachers", "established_on", "note")

    def base_queryset(self):
        return (
            super()
            .base_queryset()
            .prefetch_related(
                Prefetch(
                    "exam_results", queryset=ExamResult.objects.order_by("exam_date", "exam_name", "subject")
                )
            )
        )


class TeachingClassCreateView(generic.ChildCreateView):
    model = TeachingClass
    parent_model = School
    parent_field = "school"
    form_class = forms.TeachingClassForm
    success_message = "班级已保存。"


class TeachingClassEditView(generic.ChildEditView):
    model = TeachingClass
    parent_field = "school"
    form_class = forms.TeachingClassForm
    select_related = ("school",)
    success_message = "班级已保存。"


class TeachingClassDeleteView(generic.ObjectDeleteView):
    model = TeachingClass
    parent_field = "school"
    select_related = ("school",)


# 考试成绩


class ExamResultListView(generic.ObjectListView):
    model = ExamResult
    template_name = "education/list.html"
    filterset_class = filters.ExamResultFilterSet


class ExamResultCreateView(generic.ChildCreateView):
    model = ExamResult
    parent_model = TeachingClass
    parent_field = "teaching_class"
    form_class = forms.ExamResultForm
    success_message = "考试成绩已保存。"


class ExamResultEditView(generic.ChildEditView):
    model = ExamResult
    parent_field = "teaching_class"
    form_class = forms.ExamResultForm
    select_related = ("teaching_class",)
    success_message = "考试成绩已保存。"


class ExamResultDeleteView(generic.ObjectDeleteView):
    model = ExamResult
    parent_field = "teaching_class"
    select_related = ("teaching_class",)


# 教育基金


class FundListView(generic.ObjectListView):
    model = Fund
    template_name = "education/list.html"
    filterset_class = filters.FundFilterSet
    create_url_name = "education:fund_create"


class FundDetailView(generic.ObjectDetailView):
    model = Fund
    select_related = ("program", "carried_from__program")
    template_name = "education/fund_detail.html"
    detail_columns = ("name", "program", "founded_on", "manager", "purpose", "note")

    def base_queryset(self):
        return super().base_queryset().prefetch_related("donations", "grants")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        fund = self.object
        rows = services.ledger(fund.donations.all(), fund.grants.all())
        ctx["ledger"] = rows
        ctx["balance"] = rows[-1].balance if rows else 0
        ctx["donated"] = sum((r.inflow for r in rows), 0)
        ctx["granted"] = sum((r.outflow for r in rows), 0)
        ctx["recipients"] = sum(g.recipients for g in fund.grants.all())
        # Balance at any date (?on=YYYY-MM-DD), from the ledger already loaded: no extra query.
        on = self.request.GET.get("on")
        if on:
            try:
                day = dt.date.fromisoformat(on)
            except ValueError:
                ctx["on_error"] = f"“{on}”不是有效日期，请按 年-月-日 填写，如 2024-06-30。"
            else:
                ctx["on"] = day
                ctx["balance_on"] = next((r.balance for r in reversed(rows) if r.date <= day), 0)
        return ctx


class FundCreateView(generic.ObjectCreateView):
    model = Fund
    form_class = forms.FundForm
    success_message = "教育基金已登记。"


class FundEditView(generic.ObjectEditView):
    model = Fund
    form_class = forms.FundForm
    select_related = ("program",)
    success_message = "教育基金已保存。"


class FundEntryDeleteView(generic.ObjectDeleteView):
    """Deleting a donation that a later grant relies on is refused with the balance it would leave."""

    parent_field = "fund"
    select_related = ("fund",)

    def form_valid(self, form):
        success_url = self.get_success_url()
        try:
            self.object.delete()
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return HttpResponseRedirect(success_url)
        messages.success(self.request, f"已删除“{self.object}”。")
        return HttpResponseRedirect(success_url)


class FundDonationListView(generic.ObjectListView):
    model = FundDonation
    template_name = "education/list.html"
    filterset_class = filters.FundDonationFilterSet


class FundDonationCreateView(generic.ChildCreateView):
    model = FundDonation
    parent_model = Fund
    parent_field = "fund"
    form_class = forms.FundDonationForm
    success_message = "捐赠已登记。"


class FundDonationEditView(generic.ChildEditView):
    model = FundDonation
    parent_field = "fund"
    form_class = forms.FundDonationForm
    select_related = ("fund",)
    success_message = "捐赠已保存。"


class FundDonationDeleteView(FundEntryDeleteView):
    model = FundDonation


class FundGrantListView(generic.ObjectListView):
    model = FundGrant
    template_name = "education/list.html"
    filterset_class = filters.FundGrantFilterSet


class FundGrantCreateView(generic.ChildCreateView):
    model = FundGrant
    parent_model = Fund
    parent_field = "fund"
    form_class = forms.FundGrantForm
    success_message = "资助已登记。"


class FundGrantEditView(generic.ChildEditView):
    model = FundGrant
    parent_field = "fund"
    form_class = forms.FundGrantForm
    select_related = ("fund",)
    success_message = "资助已保存。"


class FundGrantDeleteView(FundEntryDeleteView):
    model = FundGrant


# 南通班与对照班比较


class ComparisonForm(django_forms.Form):
    program = django_forms.ModelChoiceField(
        label="援疆项目组", queryset=Program.objects.none(), to_field_name="slug", required=False
    )
    school = django_forms.ModelChoiceField(label="学校", queryset=School.objects.none(), required=False)
    track = django_forms.ChoiceField(
        label="试点班类型",
        choices=[(t.value, t.label) for t in PILOT_TRACKS],
        required=False,
    )
    subject = django_forms.ChoiceField(
        label="科目", choices=[("", "全部科目"), *Subject.choices], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = scoping.programs(user)
        self.fields["school"].queryset = scoping.restrict(School.objects.all(), user)


class ComparisonView(LoginRequiredMixin, TemplateView):
    """南通班 (or the "1+3" class) against the control classes of the same school and cohort."""

    template_name = "education/comparison.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        form = ComparisonForm(self.request.GET or None, user=user)
        results = scoping.restrict(ExamResult.objects.all(), user)
        track = Track.PILOT
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            if data["program"]:
                results = results.filter(teaching_class__school__program=data["program"])
            if data["school"]:
                results = results.filter(teaching_class__school=data["school"])
            if data["subject"]:
                results = results.filter(subject=data["subject"])
            track = data["track"] or Track.PILOT
        elif form.is_bound:
            results = results.none()
        groups = comparison.compare(comparison.results_for(results, track), track)
        ctx.update(
            form=form,
            groups=[
                (
                    group,
                    [
                        (label, charts.trend_svg(rows, f"{group.school} {group.cohort}级 {label}"))
                        for label, rows in group.by_subject()
                    ],
                )
                for group in groups
            ],
            method=METHOD,
            track_label=Track(track).label,
        )
        return ctx
