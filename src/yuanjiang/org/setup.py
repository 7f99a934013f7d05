"""A work group set up in the web, without a developer (docs/setup.md).

A supervisor (前方指挥部/援疆办) or an admin sets up a program for a work group of their subtree: its
recipient county (its townships are the reference data's), batch, term, predecessor (接力棒), report
card definition and first-year targets; then invites its users by one-time links. The outgoing
batch's lead hands its unfinished projects over to the next batch (org/handover.py).
"""

import datetime as dt
import hashlib
import secrets
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import BaseUserCreationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from yuanjiang.accounts import scoping
from yuanjiang.accounts.models import Invitation, Membership, Role, User
from yuanjiang.cnnum.numerals import int_to_chinese
from yuanjiang.org import handover
from yuanjiang.org.models import Organization, Program, Region
from yuanjiang.org.periods import program_year
from yuanjiang.reports import definition as report_defs
from yuanjiang.reports.models import Target

SETUP_ROLES = (Role.SUPERVISOR, Role.ADMIN)
INVITE_ROLES = (Role.SUPERVISOR, Role.ADMIN, Role.LEAD)
HANDOVER_ROLES = (Role.LEAD, Role.SUPERVISOR, Role.ADMIN)
INVITATION_DAYS = 14
# First-year targets offered on the set-up page (metric code → label of the box).
SETUP_TARGETS = (
    ("projects.count", "首年援疆项目数目标（个）"),
    ("projects.aid_funds_planned", "首年计划援疆资金目标（元）"),
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def setup_work_groups(user):
    """The work groups `user` may set programs up for: those of their subtrees, as a supervisor or admin."""
    if scoping._is_global_admin(user):
        return Organization.objects.filter(kind=Organization.Kind.WORK_GROUP)
    paths = [
        m.organization.path for m in scoping._memberships(user) if m.organization_id and m.role in SETUP_ROLES
    ]
    if not paths:
        return Organization.objects.none()
    q = Q()
    for p in paths:
        q |= Q(path__startswith=p)
    return Organization.objects.filter(q, kind=Organization.Kind.WORK_GROUP)


class ProgramSetupForm(forms.Form):
    provider = forms.ModelChoiceField(
        label="援助方工作组", queryset=Organization.objects.none(), help_text="结对关系来自参考数据"
    )
    recipient_region = forms.ModelChoiceField(
        label="受援县（市、区）或师市",
        queryset=Region.objects.filter(level=Region.Level.COUNTY),
        required=False,
        help_text="留空则用工作组结对的受援地；乡镇名录取自行政区划参考数据",
    )
    batch = forms.IntegerField(label="批次", min_value=1, max_value=99, help_text="第几批援疆干部人才")
    term_start = forms.DateField(label="任期开始", help_text="如 2023-04-01")
    term_end = forms.DateField(label="任期结束", help_text="如 2026-03-31")
    predecessor = forms.ModelChoiceField(
        label="上一批次",
        queryset=Program.objects.all(),
        required=False,
        help_text="同一结对关系的上一批（接力棒）",
    )
    report_definition = forms.ChoiceField(label="成绩单模板", choices=())
    name = forms.CharField(label="名称", max_length=150, required=False, help_text="留空则自动命名")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = setup_work_groups(user).select_related("region")
        self.fields["predecessor"].queryset = scoping.programs(user)
        names = report_defs.file_names()
        self.fields["report_definition"].choices = [(n, n) for n in names]
        self.fields["report_definition"].initial = report_defs.DEFAULT_NAME
        for code, label in SETUP_TARGETS:
            self.fields[f"target_{code}"] = forms.DecimalField(
                label=label, required=False, min_value=0, max_digits=18, decimal_places=2
            )
        for field in self.fields.values():
            field.error_messages.setdefault("required", f"请填写{field.label}。")
            field.error_messages["required"] = f"请填写{field.label}。"
            field.error_messages["invalid_choice"] = f"所选{field.label}不存在或不在您的权限范围内。"
            field.error_messages["invalid"] = f"{field.label}的格式不对。"

    def groups(self):
        return [("", list(self.visible_fields()))]

    def clean(self):
        data = super().clean()
        provider = data.get("provider")
        if provider and not data.get("recipient_region"):
            if provider.region is None or provider.region.level != Region.Level.COUNTY:
                self.add_error("recipient_region", f"{provider}在参考数据中没有受援县，请选择受援地。")
            else:
                data["recipient_region"] = provider.region
        return data

    def build(self) -> Program:
        d = self.cleaned_data
        provider, batch = d["provider"], d["batch"]
        slug = f"{provider.slug}-{batch}"[:80]
        n = 2
        while Program.objects.filter(slug=slug).exists():
            slug = f"{provider.slug}-{batch}-{n}"[:80]
            n += 1
        program = Program(
            slug=slug,
            name=d["name"] or f"{provider.name}（第{int_to_chinese(batch)}批）",
            provider=provider,
            recipient_region=d["recipient_region"],
            batch=batch,
            term_start=d["term_start"],
            term_end=d["term_end"],
            predecessor=d["predecessor"],
            report_definition=d["report_definition"],
        )
        return program


def _apply_model_errors(form, exc: ValidationError):
    for field, errs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errs)


@login_required
def program_setup(request):
    """新建援疆项目组: the set-up page of a supervisor or admin."""
    if not scoping.has_role(request.user, SETUP_ROLES) or not setup_work_groups(request.user).exists():
        raise PermissionDenied("只有前方指挥部/援疆办或系统管理员可以设立援疆项目组。")
    form = ProgramSetupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        program = form.build()
        try:
            with transaction.atomic():
                program.full_clean()
                program.save()
                first = program_year(program, 1)
                for code, _label in SETUP_TARGETS:
                    value = form.cleaned_data.get(f"target_{code}")
                    if value is not None:
                        target = Target(
                            program=program,
                            metric=code,
                            period_start=first.start,
                            period_end=first.end,
                            value=value,
                            note="设立项目组时填写的首年目标",
                        )
                        target.full_clean()
                        target.save()
        except ValidationError as exc:
            _apply_model_errors(form, exc)
        else:
            messages.success(
                request,
                f"已设立“{program}”，受援地{program.recipient_region}，"
                f"乡镇{program.townships().count()}个。下一步：邀请项目组成员。",
            )
            return redirect("org:program_invitations", slug=program.slug)
    return render(request, "org/program_setup.html", {"form": form})


class InvitationForm(forms.Form):
    def groups(self):
        return [("", list(self.visible_fields()))]

    display_name = forms.CharField(
        label="姓名", max_length=50, error_messages={"required": "请填写被邀请人的姓名。"}
    )
    role = forms.ChoiceField(
        label="角色",
        choices=[(Role.CLERK, Role.CLERK.label), (Role.LEAD, Role.LEAD.label)],
        initial=Role.CLERK,
    )


def _program_for(user, slug, roles) -> Program:
    program = get_object_or_404(Program.objects.select_related("provider", "recipient_region"), slug=slug)
    if not scoping.has_role(user, roles, program):
        raise PermissionDenied("您无权管理该援疆项目组的成员。")
    return program


@login_required
def program_invitations(request, slug):
    """The program's invitations; a new one shows its one-time link once."""
    program = _program_for(request.user, slug, INVITE_ROLES)
    form = InvitationForm(request.POST or None)
    link = None
    if request.method == "POST" and form.is_valid():
        token = secrets.token_urlsafe(32)
        invitation = Invitation(
            program=program,
            role=form.cleaned_data["role"],
            display_name=form.cleaned_data["display_name"],
            token_hash=token_hash(token),
            invited_by=request.user,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        link = request.build_absolute_uri(reverse("org:invitation_accept", args=[token]))
        form = InvitationForm()
    invitations = program.invitations.select_related("accepted_user", "revoked_by").order_by("-created_at")
    members = Membership.objects.filter(program=program).select_related("user")
    return render(
        request,
        "org/program_invitations.html",
        {
            "program": program,
            "form": form,
            "link": link,
            "invitations": invitations,
            "members": members,
            "days": INVITATION_DAYS,
            "now": timezone.now(),
        },
    )


@login_required
@transaction.atomic
def invitation_revoke(request, slug, pk):
    """撤销邀请: the program's lead or supervisor revokes a link not yet used; it then opens nothing
    (410). POST only; the change log records who revoked it."""
    program = _program_for(request.user, slug, INVITE_ROLES)
    if request.method != "POST":
        return redirect("org:program_invitations", slug=program.slug)
    invitation = get_object_or_404(Invitation.objects.select_for_update(), program=program, pk=pk)
    why = invitation.gone(timezone.now())
    if why:
        messages.warning(request, f"给{invitation.display_name}的邀请链接{why}，无需撤销。")
    else:
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = request.user
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        messages.success(request, f"已撤销给{invitation.display_name}的邀请链接，该链接不能再用来注册。")
    return redirect("org:program_invitations", slug=program.slug)


class AcceptForm(BaseUserCreationForm):
    class Meta(BaseUserCreationForm.Meta):
        model = User
        fields = ("username",)
        labels = {"username": "登录名"}


@transaction.atomic
def invitation_accept(request, token):
    """The one-time link: choose a user name and password; the link is spent on success."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("program")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise Http404("邀请链接无效。")
    why = invitation.gone(timezone.now())
    if why:
        return render(request, "org/invitation_gone.html", {"why": why, "invitation": invitation}, status=410)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.display_name = invitation.display_name
        user.save()
        membership = Membership(user=user, program=invitation.program, role=invitation.role)
        membership.full_clean()
        membership.save()
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        invitation.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"欢迎，{invitation.display_name}！您已加入“{invitation.program}”。")
        return redirect(invitation.program.get_absolute_url())
    return render(request, "org/invitation_accept.html", {"form": form, "invitation": invitation})


class HandoverForm(forms.Form):
    handed_over_on = forms.DateField(label="移交日期", error_messages={"required": "请填写移交日期。"})
    projects = forms.ModelMultipleChoiceField(
        label="移交的未完工项目",
        queryset=Program.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    funds = forms.ModelMultipleChoiceField(
        label="结转的教育基金（余额转入下一批次）",
        queryset=Program.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    agreements = forms.ModelMultipleChoiceField(
        label="继续履行的协议",
        queryset=Program.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if not (data.get("projects") or data.get("funds") or data.get("agreements")):
            raise ValidationError("请至少选择一个未完工项目、教育基金或协议。")
        return data


@login_required
def program_handover(request, slug):
    """交接: the outgoing batch's lead picks the unfinished projects to carry into the next batch."""
    program = _program_for(request.user, slug, HANDOVER_ROLES)
    successor = Program.objects.filter(predecessor=program).first()
    if successor is None:
        messages.warning(request, f"“{program}”还没有下一批次，请先设立下一批援疆项目组。")
        return redirect(program.get_absolute_url())
    on = successor.term_start
    form = HandoverForm(request.POST or None, initial={"handed_over_on": on})
    if form.data.get("handed_over_on"):
        try:
            on = dt.date.fromisoformat(form.data["handed_over_on"])
        except ValueError:
            pass
    form.fields["projects"].queryset = handover.carry_over_candidates(program, on)
    form.fields["projects"].label_from_instance = lambda p: f"{p.code} {p.name}（{p.plan_year}年计划）"
    form.fields["funds"].queryset = handover.fund_candidates(program)
    form.fields["funds"].label_from_instance = lambda f: f"{f.name}（移交日余额转入下一批次）"
    form.fields["agreements"].queryset = handover.agreement_candidates(program, on)
    form.fields["agreements"].label_from_instance = lambda a: f"{a.title}（{a.signed_on:%Y年%-m月%-d日}签订）"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = handover.hand_over(
                program,
                successor,
                data["projects"],
                data["handed_over_on"],
                funds=data["funds"],
                agreements=data["agreements"],
            )
        except ValidationError as exc:
            for msgs in exc.message_dict.values():
                for m in msgs:
                    form.add_error(None, m)
        else:
            messages.success(
                request,
                f"已移交给“{successor}”：续建项目{len(result.projects)}个、教育基金{len(result.funds)}个、"
                f"协议{len(result.agreements)}份。",
            )
            return redirect("org:program_baton", slug=successor.slug)
    return render(
        request, "org/program_handover.html", {"program": program, "successor": successor, "form": form}
    )
