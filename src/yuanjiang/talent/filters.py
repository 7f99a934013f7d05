import django_filters
from django import forms

from yuanjiang.accounts import scoping
from yuanjiang.common.filters import DATE, RecordFilterSet, date_range, program_filter, search_filter
from yuanjiang.projects.models import AidProject
from yuanjiang.talent.choices import AgreementKind, Audience, GroupRole, TermKind, TrainingMode, WorkerKind
from yuanjiang.talent.models import Agreement, AidWorker, TalentField, TalentVisit, TrainingCourse


def _projects(request):
    return scoping.restrict(AidProject.objects.all(), request.user if request else None)


class AidWorkerFilterSet(RecordFilterSet):
    q = search_filter("搜索", "姓名、单位、岗位")
    program = program_filter()
    kind = django_filters.ChoiceFilter(label="类别", choices=WorkerKind.choices)
    group_role = django_filters.ChoiceFilter(label="工作组职务", choices=GroupRole.choices)
    term_kind = django_filters.ChoiceFilter(label="援疆期限", choices=TermKind.choices)
    in_post_on = django_filters.DateFilter(label="在岗日期", method="filter_in_post", widget=DATE)

    class Meta:
        model = AidWorker
        fields = ["q", "program", "kind", "group_role", "term_kind", "in_post_on"]

    search_fields = ("name", "home_unit", "host_unit", "post")

    def filter_in_post(self, queryset, name, value):
        return queryset.in_post_on(value)


class TalentVisitFilterSet(RecordFilterSet):
    q = search_filter("人员、机构或工作内容")
    program = program_filter()
    field = django_filters.ModelChoiceFilter(label="领域", queryset=TalentField.objects.all())
    shortage = django_filters.BooleanFilter(
        label="紧缺领域",
        field_name="field__is_shortage",
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]),
    )
    start_after, start_before = date_range("start")

    class Meta:
        model = TalentVisit
        fields = ["q", "program", "field", "shortage", "start_after", "start_before"]

    search_fields = ("experts", "institution__name", "work", "host_unit")


class AgreementFilterSet(RecordFilterSet):
    q = search_filter("名称、签约方或事项")
    program = program_filter()
    kind = django_filters.ChoiceFilter(label="协议类型", choices=AgreementKind.choices)
    signed_after, signed_before = date_range("signed_on")

    class Meta:
        model = Agreement
        fields = ["q", "program", "kind", "signed_after", "signed_before"]

    search_fields = (
        "title",
        "subject",
        "government_party",
        "counterpart_team",
        "institution__name",
        "enterprise__name",
    )


class TrainingCourseFilterSet(RecordFilterSet):
    q = search_filter("名称、地点或承办单位")
    program = program_filter()
    audience = django_filters.ChoiceFilter(label="培训对象", choices=Audience.choices)
    mode = django_filters.ChoiceFilter(label="培训方式", choices=TrainingMode.choices)
    project = django_filters.ModelChoiceFilter(label="资金来源项目", queryset=_projects)
    start_after, start_before = date_range("start")

    class Meta:
        model = TrainingCourse
        fields = ["q", "program", "audience", "mode", "project", "start_after", "start_before"]

    search_fields = ("name", "place", "organizer")
