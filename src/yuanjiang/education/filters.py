import django_filters

from yuanjiang.accounts import scoping
from yuanjiang.common.filters import RecordFilterSet, date_range, program_filter, search_filter
from yuanjiang.education.choices import GrantKind, SchoolStage, Subject, Track
from yuanjiang.education.models import ExamResult, Fund, FundDonation, FundGrant, School, TeachingClass


def _schools(request):
    return scoping.restrict(School.objects.all(), request.user if request else None)


def _funds(request):
    return scoping.restrict(Fund.objects.all(), request.user if request else None)


class SchoolFilterSet(RecordFilterSet):
    q = search_filter("学校名称")
    program = program_filter()
    stage = django_filters.ChoiceFilter(label="学段", choices=SchoolStage.choices)
    search_fields = ("name",)

    class Meta:
        model = School
        fields = ["q", "program", "stage"]


class TeachingClassFilterSet(RecordFilterSet):
    program = program_filter("school__program")
    school = django_filters.ModelChoiceFilter(label="学校", queryset=_schools)
    track = django_filters.ChoiceFilter(label="班级类型", choices=Track.choices)
    cohort = django_filters.NumberFilter(label="届别（入学年份）")

    class Meta:
        model = TeachingClass
        fields = ["program", "school", "track", "cohort"]


class ExamResultFilterSet(RecordFilterSet):
    q = search_filter("考试名称")
    program = program_filter("teaching_class__school__program")
    school = django_filters.ModelChoiceFilter(
        label="学校", queryset=_schools, field_name="teaching_class__school"
    )
    track = django_filters.ChoiceFilter(
        label="班级类型", choices=Track.choices, field_name="teaching_class__track"
    )
    subject = django_filters.ChoiceFilter(label="科目", choices=Subject.choices)
    search_fields = ("exam_name",)

    class Meta:
        model = ExamResult
        fields = ["q", "program", "school", "track", "subject"]


class FundFilterSet(RecordFilterSet):
    program = program_filter()

    class Meta:
        model = Fund
        fields = ["program"]


class _FundEntryFilterSet(RecordFilterSet):
    program = program_filter("fund__program")
    fund = django_filters.ModelChoiceFilter(label="教育基金", queryset=_funds)
    date_after, date_before = date_range("date")


class FundDonationFilterSet(_FundEntryFilterSet):
    q = search_filter("捐赠方或凭证")
    search_fields = ("donor", "source_document")

    class Meta:
        model = FundDonation
        fields = ["q", "program", "fund", "date_after", "date_before"]


class FundGrantFilterSet(_FundEntryFilterSet):
    kind = django_filters.ChoiceFilter(label="资助类型", choices=GrantKind.choices)

    class Meta:
        model = FundGrant
        fields = ["program", "fund", "kind", "date_after", "date_before"]
