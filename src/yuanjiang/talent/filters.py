import django_filters
from django import forms
from django.db.models import Q

from yuanjiang.accounts import scoping
from yuanjiang.projects.models import AidProject
from yuanjiang.talent.choices import AgreementKind, Audience, GroupRole, TermKind, TrainingMode, WorkerKind
from yuanjiang.talent.models import Agreement, AidWorker, TalentField, TalentVisit, TrainingCourse

DATE = forms.DateInput(attrs={"type": "date"})


def _programs(request):
    return scoping.programs(request.user if request else None).select_related("provider")


def _projects(request):
    return scoping.restrict(AidProject.objects.all(), request.user if request else None)


def _search(queryset, value, *fields):
    value = (value or "").strip()
    if not value:
        return queryset
    q = Q()
    for f in fields:
        q |= Q(**{f"{f}__icontains": value})
    return queryset.filter(q)


def _program_filter():
    return django_filters.ModelChoiceFilter(
        label="援疆项目组", queryset=_programs, field_name="program", to_field_name="slug"
    )


def _date_filters(field_name):
    return (
        django_filters.DateFilter(label="起始日期", field_name=field_name, lookup_expr="gte", widget=DATE),
        django_filters.DateFilter(label="截止日期", field_name=field_name, lookup_expr="lte", widget=DATE),
    )


class AidWorkerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="搜索",
        method="search",
        widget=forms.TextInput(attrs={"placeholder": "姓名、单位、岗位"}),
    )
    program = _program_filter()
    kind = django_filters.ChoiceFilter(label="类别", choices=WorkerKind.choices)
    group_role = django_filters.ChoiceFilter(label="工作组职务", choices=GroupRole.choices)
    term_kind = django_filters.ChoiceFilter(label="援疆期限", choices=TermKind.choices)
    in_post_on = django_filters.DateFilter(label="在岗日期", method="filter_in_post", widget=DATE)

    class Meta:
        model = AidWorker
        fields = ["q", "program", "kind", "group_role", "term_kind", "in_post_on"]

    def search(self, queryset, name, value):
        return _search(queryset, value, "name", "home_unit", "host_unit", "post")

    def filter_in_post(self, queryset, name, value):
        return queryset.in_post_on(value)


class TalentVisitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="人员、机构或工作内容", method="search")
    program = _program_filter()
    field = django_filters.ModelChoiceFilter(label="领域", queryset=TalentField.objects.all())
    shortage = django_filters.BooleanFilter(
        label="紧缺领域",
        field_name="field__is_shortage",
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]),
    )
    start_after, start_before = _date_filters("start")

    class Meta:
        model = TalentVisit
        fields = ["q", "program", "field", "shortage", "start_after", "start_before"]

    def search(self, queryset, name, value):
        return _search(queryset, value, "experts", "institution__name", "work", "host_unit")


class AgreementFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称、签约方或事项", method="search")
    program = _program_filter()
    kind = django_filters.ChoiceFilter(label="协议类型", choices=AgreementKind.choices)
    signed_after, signed_before = _date_filters("signed_on")

    class Meta:
        model = Agreement
        fields = ["q", "program", "kind", "signed_after", "signed_before"]

    def search(self, queryset, name, value):
        return _search(
            queryset,
            value,
            "title",
            "subject",
            "government_party",
            "counterpart_team",
            "institution__name",
            "enterprise__name",
        )


class TrainingCourseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称、地点或承办单位", method="search")
    program = _program_filter()
    audience = django_filters.ChoiceFilter(label="培训对象", choices=Audience.choices)
    mode = django_filters.ChoiceFilter(label="培训方式", choices=TrainingMode.choices)
    project = django_filters.ModelChoiceFilter(label="资金来源项目", queryset=_projects)
    start_after, start_before = _date_filters("start")

    class Meta:
        model = TrainingCourse
        fields = ["q", "program", "audience", "mode", "project", "start_after", "start_before"]

    def search(self, queryset, name, value):
        return _search(queryset, value, "name", "place", "organizer")
