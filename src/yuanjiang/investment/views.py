from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from yuanjiang.accounts import scoping
from yuanjiang.common import views as generic
from yuanjiang.investment import filters, forms, stage
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
from yuanjiang.metrics.scope import Scope
from yuanjiang.org import periods
from yuanjiang.org.models import Program
from yuanjiang.org.views import period_from_request


class ListView(generic.ObjectListView):
    template_name = "investment/object_list.html"
    link_first_column = True


class DetailView(generic.ObjectDetailView):
    """A record's fields (`detail_columns`), what hangs off it (the template's `related` block), history;
    the app's tabs above (investment/object_detail.html)."""

    template_name = "investment/object_detail.html"
    delete_url_name = None

    def visible(self, queryset):
        return scoping.restrict(queryset, self.request.user)


# Enterprises and institutions: shared reference records.


class EnterpriseListView(ListView):
    model = Enterprise
    filterset_class = filters.EnterpriseFilterSet
    create_url_name = "investment:enterprise_create"


class EnterpriseDetailView(DetailView):
    model = Enterprise
    template_name = "investment/enterprise_detail.html"
    detail_columns = (
        "credit_code",
        "industry",
        "origin",
        "is_leading",
        "contact_person",
        "contact_phone",
        "note",
    )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # What the programs the user may see did with this enterprise.
        ctx["contacts"] = self.visible(self.object.contacts.select_related("program", "event"))
        ctx["projects"] = self.visible(self.object.investment_projects.select_related("program", "park"))
        return ctx


class EnterpriseCreateView(generic.ObjectCreateView):
    model = Enterprise
    form_class = forms.EnterpriseForm
    success_message = "企业已保存。"


class EnterpriseEditView(generic.ObjectEditView):
    model = Enterprise
    form_class = forms.EnterpriseForm
    success_message = "企业已保存。"


class InstitutionListView(ListView):
    model = Institution
    filterset_class = filters.InstitutionFilterSet
    create_url_name = "investment:institution_create"


class InstitutionDetailView(DetailView):
    model = Institution
    template_name = "investment/institution_detail.html"
    detail_columns = ("kind", "location", "note")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["contacts"] = self.visible(self.object.contacts.select_related("program", "event"))
        return ctx


class InstitutionCreateView(generic.ObjectCreateView):
    model = Institution
    form_class = forms.InstitutionForm
    success_message = "机构已保存。"


class InstitutionEditView(generic.ObjectEditView):
    model = Institution
    form_class = forms.InstitutionForm
    success_message = "机构已保存。"


# Parks: shared reference records; the park page shows the tenants and upgrades the user may see.


class ParkListView(ListView):
    model = Park
    filterset_class = filters.ParkFilterSet
    create_url_name = "investment:park_create"


class ParkDetailView(DetailView):
    """The park page: tenants (planned and actual investment, jobs) and the aid projects that upgraded it."""

    model = Park
    template_name = "investment/park_detail.html"
    select_related = ("county",)
    detail_columns = ("county", "focus_industries", "area", "address", "manager", "note")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        park = self.object
        tenants = list(
            self.visible(park.tenants.select_related("program", "enterprise", "cluster")).order_by(
                "landed_date", "name"
            )
        )
        landed = [t for t in tenants if t.landed_date]
        ctx.update(
            tenants=tenants,
            totals={
                "count": len(landed),
                "planned": sum((t.planned_investment for t in landed), 0),
                "actual": sum((t.actual_investment for t in landed), 0),
                "expected_jobs": sum((t.expected_jobs or 0 for t in landed), 0),
                "actual_jobs": sum((t.actual_jobs or 0 for t in landed), 0),
            },
            upgrades=list(self.visible(park.upgrades.select_related("aid_project", "aid_project__program"))),
            can_link=scoping.programs(self.request.user, scoping.CHANGE).exists(),
        )
        return ctx


class ParkCreateView(generic.ObjectCreateView):
    model = Park
    form_class = forms.ParkForm
    success_message = "园区已保存。"


class ParkEditView(generic.ObjectEditView):
    model = Park
    form_class = forms.ParkForm
    select_related = ("county",)
    success_message = "园区已保存。"


class ParkUpgradeCreateView(generic.ChildCreateView):
    """Link one's own aid project to a park. The link is the program's record (scoped by the aid
    project); the park, a shared record perhaps owned by another program, is read, not changed."""

    model = ParkUpgrade
    parent_model = Park
    parent_field = "park"
    form_class = forms.ParkUpgradeForm
    success_message = "已关联园区改造提升项目。"

    def get_parent(self):
        user = self.request.user
        if not scoping.programs(user, scoping.CHANGE).exists():
            raise PermissionDenied("只有填报员或工作组负责人可以关联园区改造提升项目。")
        return get_object_or_404(scoping.restrict(Park.objects.all(), user), pk=self.kwargs["parent_pk"])


class ParkUpgradeDeleteView(generic.ObjectDeleteView):
    model = ParkUpgrade
    parent_field = "park"
    select_related = ("park", "aid_project")


# Promotion events and contacts.


class PromotionEventListView(ListView):
    model = PromotionEvent
    filterset_class = filters.PromotionEventFilterSet
    create_url_name = "investment:promotionevent_create"


class PromotionEventDetailView(DetailView):
    model = PromotionEvent
    template_name = "investment/promotionevent_detail.html"
    select_related = ("program", "organizer")
    detail_columns = ("program", "kind", "date", "place", "organizer_label", "note")

    def base_queryset(self):
        return (
            super()
            .base_queryset()
            .prefetch_related(
                Prefetch("contacts", queryset=Contact.objects.select_related("enterprise", "institution")),
                Prefetch("signed_projects", queryset=InvestmentProject.objects.select_related("enterprise")),
            )
        )


class PromotionEventCreateView(generic.ObjectCreateView):
    model = PromotionEvent
    form_class = forms.PromotionEventForm
    success_message = "招商活动已保存。"


class PromotionEventEditView(generic.ObjectEditView):
    model = PromotionEvent
    form_class = forms.PromotionEventForm
    select_related = ("program",)
    success_message = "招商活动已保存。"


class ContactListView(ListView):
    model = Contact
    filterset_class = filters.ContactFilterSet
    create_url_name = "investment:contact_create"


class ContactDetailView(DetailView):
    model = Contact
    select_related = ("program", "enterprise", "institution", "event")
    detail_columns = ("program", "date", "kind", "enterprise", "institution", "event", "people", "outcome")


class ContactCreateView(generic.ObjectCreateView):
    model = Contact
    form_class = forms.ContactForm
    success_message = "对接记录已保存。"


class EventContactCreateView(generic.ChildCreateView):
    """A contact made at an event (an enterprise or institution met there), from the event's page."""

    model = Contact
    parent_model = PromotionEvent
    parent_field = "event"
    form_class = forms.ContactForm
    success_message = "对接记录已保存。"

    def get_object(self, queryset=None):
        contact = super().get_object(queryset)
        contact.program = self.parent.program
        return contact


class ContactEditView(generic.ObjectEditView):
    model = Contact
    form_class = forms.ContactForm
    select_related = ("program", "event")
    success_message = "对接记录已保存。"


class ContactDeleteView(generic.ObjectDeleteView):
    model = Contact
    select_related = ("event",)


# Investment projects and their phases.


class InvestmentProjectListView(ListView):
    model = InvestmentProject
    filterset_class = filters.InvestmentProjectFilterSet
    create_url_name = "investment:investmentproject_create"


class InvestmentProjectDetailView(DetailView):
    model = InvestmentProject
    template_name = "investment/investmentproject_detail.html"
    select_related = ("program", "enterprise", "cluster", "park", "township", "signed_event")
    prefetch_related = ("phases",)
    detail_columns = (
        "program",
        "enterprise",
        "cluster",
        "park",
        "township",
        "signed_event",
        "planned_investment",
        "actual_investment",
        "expected_jobs",
        "actual_jobs",
        "annual_output",
        "content",
        "note",
    )


class InvestmentProjectCreateView(generic.ObjectCreateView):
    model = InvestmentProject
    form_class = forms.InvestmentProjectForm
    success_message = "招商引资项目已保存。"


class InvestmentProjectEditView(generic.ObjectEditView):
    model = InvestmentProject
    form_class = forms.InvestmentProjectForm
    select_related = ("program",)
    success_message = "招商引资项目已保存。"


class InvestmentPhaseCreateView(generic.ChildCreateView):
    model = InvestmentPhase
    parent_model = InvestmentProject
    form_class = forms.InvestmentPhaseForm
    success_message = "项目分期已保存。"


class InvestmentPhaseEditView(generic.ChildEditView):
    model = InvestmentPhase
    form_class = forms.InvestmentPhaseForm
    select_related = ("project",)
    success_message = "项目分期已保存。"


class InvestmentPhaseDeleteView(generic.ObjectDeleteView):
    model = InvestmentPhase
    select_related = ("project",)


# The pipeline of a program.


class PipelineView(LoginRequiredMixin, TemplateView):
    """A program's investment pipeline as of the period end (洽谈 → 签约 → 落户 → 开工 → 投产) and what
    moved in the period. One query for the projects, whatever their number; the columns from
    stage.pipeline."""

    template_name = "investment/pipeline.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        program = get_object_or_404(
            scoping.restrict(Program.objects.select_related("provider"), user), slug=self.kwargs["slug"]
        )
        presets = periods.presets(program)
        period = period_from_request(
            self.request, periods.since_term_start(program), program=program, offered=presets
        )
        projects = list(
            scoping.restrict(InvestmentProject.objects.filter(program=program), user)
            .select_related("enterprise", "park", "cluster")
            .order_by("name")
        )
        columns = stage.pipeline(projects, period)
        ctx.update(
            program=program,
            period=period,
            presets=presets,
            period_note="招商引资项目的阶段由各阶段日期得出。",
            columns=columns,
            total=sum(len(c["projects"]) for c in columns),
            scope=Scope(program=program, visible=scoping.programs(user)),
            can_change=scoping.programs(user, scoping.CHANGE).filter(pk=program.pk).exists(),
        )
        return ctx
