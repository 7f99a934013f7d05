import django_filters
from django import forms
from django.db.models import Q

from yuanjiang.accounts import scoping
from yuanjiang.education.choices import GrantKind, SchoolStage, Subject, Track
from yuanjiang.education.models import ExamResult, Fund, FundDonation, FundGrant, School, TeachingClass

DATE = forms.DateInput(attrs={"type": "date"})


def _programs(request):
    return scoping.programs(request.user if request else None).select_related("provider")


def _schools(request):
    return scoping.restrict(School.objects.all(), request.user if request else None)


def _funds(request):
    return scoping.restrict(Fund.objects.all(), request.user if request else None)


def _program_filter(path):
    return django_filters.ModelChoiceFilter(
        label="援疆项目组", queryset=_programs, field_name=path, to_field_name="slug"
    )


class SchoolFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="学校名称", field_name="name", lookup_expr="icontains")
    program = _program_filter("program")
    stage = django_filters.ChoiceFilter(label="学段", choices=SchoolStage.choices)

    class Meta:
        model = School
        fields = ["q", "program", "stage"]


class TeachingClassFilterSet(django_filters.FilterSet):
    program = _program_filter("school__program")
    school = django_filters.ModelChoiceFilter(label="学校", queryset=_schools)
    track = django_filters.ChoiceFilter(label="班级类型", choices=Track.choices)
    cohort = django_filters.NumberFilter(label="届别（入学年份）")

    class Meta:
        model = TeachingClass
        fields = ["program", "school", "track", "cohort"]


class ExamResultFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="考试名称", field_name="exam_name", lookup_expr="icontains")
    program = _program_filter("teaching_class__school__program")
    school = django_filters.ModelChoiceFilter(
        label="学校", queryset=_schools, field_name="teaching_class__school"
    )
    track = django_filters.ChoiceFilter(
        label="班级类型", choices=Track.choices, field_name="teaching_class__track"
    )
    subject = django_filters.ChoiceFilter(label="科目", choices=Subject.choices)

    class Meta:
        model = ExamResult
        fields = ["q", "program", "school", "track", "subject"]


class FundFilterSet(django_filters.FilterSet):
    program = _program_filter("program")

    class Meta:
        model = Fund
        fields = ["program"]


class _FundEntryFilterSet(django_filters.FilterSet):
    program = _program_filter("fund__program")
    fund = django_filters.ModelChoiceFilter(label="教育基金", queryset=_funds)
    date_after = django_filters.DateFilter(
        label="起始日期", field_name="date", lookup_expr="gte", widget=DATE
    )
    date_before = django_filters.DateFilter(
        label="截止日期", field_name="date", lookup_expr="lte", widget=DATE
    )


class FundDonationFilterSet(_FundEntryFilterSet):
    q = django_filters.CharFilter(label="捐赠方或凭证", method="search")

    class Meta:
        model = FundDonation
        fields = ["q", "program", "fund", "date_after", "date_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(donor__icontains=value) | Q(source_document__icontains=value))
            if value
            else queryset
        )


class FundGrantFilterSet(_FundEntryFilterSet):
    kind = django_filters.ChoiceFilter(label="资助类型", choices=GrantKind.choices)

    class Meta:
        model = FundGrant
        fields = ["program", "fund", "kind", "date_after", "date_before"]
