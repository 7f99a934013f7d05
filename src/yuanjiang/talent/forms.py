from django import forms

from yuanjiang.common.forms import DATE, ProgramRecordMixin, ScopedModelForm
from yuanjiang.talent.models import Agreement, AidWorker, TalentVisit, TrainingCourse


class ProgramRecordForm(ProgramRecordMixin, ScopedModelForm):
    """A record of a program (common.forms.ProgramRecordMixin)."""


class AidWorkerForm(ProgramRecordForm):
    fieldsets = (
        ("基本信息", ("program", "name", "kind", "sector", "group_role")),
        ("派出与受援", ("home_unit", "host_unit", "post")),
        ("任期", ("term_kind", "term_start", "term_end")),
    )

    class Meta:
        model = AidWorker
        fields = [
            "program",
            "name",
            "kind",
            "sector",
            "group_role",
            "home_unit",
            "host_unit",
            "post",
            "term_kind",
            "term_start",
            "term_end",
            "note",
        ]
        widgets = {"term_start": DATE, "term_end": DATE}


class TalentVisitForm(ProgramRecordForm):
    class Meta:
        model = TalentVisit
        fields = [
            "program",
            "field",
            "experts",
            "institution",
            "host_unit",
            "start",
            "end",
            "people",
            "person_times",
            "work",
            "note",
        ]
        widgets = {"start": DATE, "end": DATE}


class AgreementForm(ProgramRecordForm):
    fieldsets = (
        ("协议", ("program", "kind", "title", "signed_on", "subject")),
        ("签约各方", ("institution", "enterprise", "government_party", "counterpart_team")),
        ("附件", ("document", "note")),
    )

    class Meta:
        model = Agreement
        fields = [
            "program",
            "kind",
            "title",
            "signed_on",
            "subject",
            "institution",
            "enterprise",
            "government_party",
            "counterpart_team",
            "document",
            "note",
        ]
        widgets = {
            "signed_on": DATE,
            "subject": forms.Textarea(attrs={"rows": 3}),
            "document": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        }


class TrainingCourseForm(ProgramRecordForm):
    fieldsets = (
        ("培训班", ("program", "name", "audience", "mode", "place", "organizer")),
        ("时间与人次", ("start", "end", "participants")),
        ("资金", ("aid_funds", "project")),
    )

    class Meta:
        model = TrainingCourse
        fields = [
            "program",
            "name",
            "audience",
            "mode",
            "place",
            "organizer",
            "start",
            "end",
            "participants",
            "aid_funds",
            "project",
            "note",
        ]
        widgets = {"start": DATE, "end": DATE}
