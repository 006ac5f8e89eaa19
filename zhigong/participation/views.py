"""Pages of proposals (提案): a delegate drafts (with similar earlier proposals beside the form),
gathers co-signers and submits; the proposal committee reviews, accepts and assigns; the
departments answer and carry out; the proposer rates. Also the search, a department's queue
and the congress-level board. Suggestions are in suggestion_views.py, the box in box_views.py.

Every page fetches through participation.queries (404 for outsiders) and changes only through
participation.actions; a DomainError becomes a message beside the field it names."""

import json
from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhigong.core import policy, rulebook
from zhigong.core.errors import DomainError, NotFound, PermissionDenied
from zhigong.core.models import Department, User
from zhigong.core.views import page
from zhigong.democracy import queries as congress_queries
from zhigong.democracy.models import Committee, Congress, Delegate, Session
from zhigong.participation import actions, forms, queries
from zhigong.participation.models import Proposal, ProposalSigner
from zhigong.trail.models import Event

State = Proposal.State
NAV = {"nav_section": "proposals"}
PAGE_SIZE = 20


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {**NAV, **context}, status=status)


def attempt(form, call: Callable[[], Any], aliases: dict[str, str] | None = None) -> tuple[bool, Any]:
    """Run an action; a DomainError becomes an error beside the field it names (or above the
    form). `aliases` maps an action's field name to the form's (the actions say "file")."""
    try:
        return True, call()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        field = (aliases or {}).get(exc.field, exc.field)
        form.add_error(field if field in form.fields else None, str(exc.message))
        return False, None


# --- Labels ----------------------------------------------------------------------------------

# Trail verbs of a proposal, as the timeline names them.
VERB_LABELS = {
    "proposal.draft": gettext_lazy("起草"),
    "proposal.edit": gettext_lazy("修改草稿"),
    "proposal.cosign": gettext_lazy("附议"),
    "proposal.file": gettext_lazy("上传材料"),
    "proposal.submit": gettext_lazy("提交"),
    "proposal.withdraw": gettext_lazy("撤回"),
    "proposal.start_review": gettext_lazy("开始审查"),
    "proposal.accept": gettext_lazy("立案"),
    "proposal.convert": gettext_lazy("转为意见建议"),
    "proposal.merge": gettext_lazy("并入其他提案"),
    "proposal.merged_in": gettext_lazy("并入重复提案"),
    "proposal.assign": gettext_lazy("交办"),
    "proposal.answer": gettext_lazy("答复"),
    "proposal.report_progress": gettext_lazy("报告落实进度"),
    "proposal.complete": gettext_lazy("落实完毕"),
    "proposal.rate": gettext_lazy("提案人评价"),
    "proposal.archive": gettext_lazy("归档"),
    "proposal.reopen": gettext_lazy("重新交办"),
    "proposal.overdue_notice": gettext_lazy("逾期提醒"),
}
DONE = {
    "submit": gettext_lazy("提案已提交。"),
    "withdraw": gettext_lazy("提案已撤回。"),
    "start_review": gettext_lazy("已开始审查。"),
    "accept": gettext_lazy("已立案。"),
    "convert": gettext_lazy("已转为意见建议，理由已告知提案人。"),
    "merge": gettext_lazy("已并案，提案人均保留。"),
    "assign": gettext_lazy("已交办，承办部门已收到通知。"),
    "answer": gettext_lazy("答复已送达提案人。"),
    "progress": gettext_lazy("落实进度已记录。"),
    "rate": gettext_lazy("感谢您的评价。"),
    "reopen": gettext_lazy("已重新交办。"),
    "archive": gettext_lazy("已归档。"),
    "cosign": gettext_lazy("您已附议该提案。"),
    "attach": gettext_lazy("附件已上传。"),
}


# --- Who is who --------------------------------------------------------------------------------

def person_id(user) -> int:
    return getattr(user, "person_id", None) or -1


def draft_sessions(user) -> list[tuple[Session, str]]:
    """Sessions whose collection window has not closed, in terms where the user is an active
    delegate: where they may draft."""
    today = timezone.localdate()
    rows = (congress_queries.visible(user, Session)
            .filter(term__delegates__person_id=person_id(user), term__delegates__status=Delegate.Status.ACTIVE,
                    proposal_window__closes_on__gte=today)
            .select_related("term__congress__enterprise", "proposal_window").distinct().order_by("starts_at"))
    return [(s, session_label(s)) for s in rows]


def session_label(session: Session) -> str:
    return f"{session.term.congress.enterprise.name} · {session.title}"


def required_cosigners(proposal: Proposal) -> int:
    return int(rulebook.lookup("proposal.min_cosigners", proposal.region_id, timezone.localdate()).value)


def committee_congresses(user) -> list[int]:
    """Congresses whose proposal work this user does: as a committee member or as one who runs
    the congress."""
    pid = person_id(user)
    ids = set(Committee.objects.filter(kind=Committee.Kind.PROPOSAL, members__person_id=pid,
                                       members__status=Delegate.Status.ACTIVE)
              .values_list("term__congress_id", flat=True))
    for congress in congress_queries.visible(user, Congress).select_related("enterprise")[:200]:
        if policy.may_organization(user, "change", congress.enterprise):
            ids.add(congress.pk)
    return sorted(ids)


# --- Index -------------------------------------------------------------------------------------

@page
def index(request: HttpRequest) -> HttpResponse:
    """A delegate's proposals and the drafts waiting for co-signers; the committee's review
    queue; links to the search, the queue and the board."""
    user = request.user
    pid = person_id(user)
    visible = queries.visible(user, Proposal).select_related("session")
    mine = list(visible.filter(signers__delegate__person_id=pid, signers__role=ProposalSigner.Role.PROPOSER)
                .order_by("-id")[:50])
    for proposal in mine:
        proposal.cosigner_count = proposal.signers.filter(role=ProposalSigner.Role.COSIGNER).count()
        if proposal.state == State.DRAFT:
            proposal.share_url = request.build_absolute_uri(reverse("voice-proposal", args=[proposal.pk]))
            proposal.needed = required_cosigners(proposal)
    to_cosign = (visible.filter(state=State.DRAFT, session__term__delegates__person_id=pid,
                                session__term__delegates__status=Delegate.Status.ACTIVE)
                 .exclude(signers__delegate__person_id=pid).select_related("proposer__person").order_by("-id")[:50])
    congresses = committee_congresses(user)
    review = (visible.filter(congress_id__in=congresses, state__in=[State.SUBMITTED, State.UNDER_REVIEW,
                                                                   State.ACCEPTED]).order_by("id")[:100]
              if congresses else [])
    return render_page(request, "participation/index.html", {
        "mine": mine, "to_cosign": to_cosign, "review": review, "may_draft": bool(draft_sessions(user)),
        "has_department": user.departments.exists(),
    })


# --- Drafting ----------------------------------------------------------------------------------

def _similar_text(data) -> str:
    return " ".join((data.get(k) or "") for k in ("title", "cause", "measures")).strip()


def _similar_rows(user, congress_id: int, text: str, exclude: int | None = None) -> list[dict]:
    if len(text) < 4:
        return []
    rows = queries.similar(user, congress_id, text, exclude)
    for row in rows:
        row["may_cosign"] = actions.may_cosign(user, row["proposal"])
    return rows


def _attach_all(user, proposal: Proposal, uploads: list) -> None:
    for upload in uploads:
        actions.attach(user, proposal, upload)


def _draft_with_files(user, session: Session, data: dict) -> Proposal:
    # One transaction: a refused attachment leaves no half-made draft behind.
    with transaction.atomic():
        proposal = actions.draft_proposal(user, session, data["title"], data["cause"], data["measures"],
                                          data["category"])
        _attach_all(user, proposal, data["attachments"])
    return proposal


@page
def proposal_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    sessions = draft_sessions(user)
    if not sessions:
        return render_page(request, "participation/proposal_form.html", {"form": None})
    form = forms.ProposalForm(request.POST or None, request.FILES or None, sessions=sessions,
                              initial={"session": sessions[0][0].pk})
    form.watch_similar(reverse("voice-similar"))
    similar = []
    if request.method == "POST":
        if form.is_valid():
            session = congress_queries.access(user, Session, form.cleaned_data["session"])
            ok, proposal = attempt(form, lambda: _draft_with_files(user, session, form.cleaned_data),
                                   {"file": "attachments"})
            if ok:
                messages.success(request, _("草稿已保存。请把链接发给其他代表附议，附议人数够了即可提交。"))
                return redirect("voice-proposal", pk=proposal.pk)
        session = next((s for s, _label in sessions if str(s.pk) == request.POST.get("session")), sessions[0][0])
        similar = _similar_rows(user, session.term.congress_id, _similar_text(request.POST))
    return render_page(request, "participation/proposal_form.html", {
        "form": form, "similar": similar, "proposal": None, "typed": request.method == "POST",
    })


@require_POST
@page
def similar(request: HttpRequest) -> HttpResponse:
    """The 相似提案 panel, refilled by htmx while the delegate types."""
    user = request.user
    exclude = request.POST.get("exclude", "")
    if exclude.isdigit():
        draft = queries.access(user, Proposal, int(exclude))
        congress_id = draft.congress_id
    else:
        session = congress_queries.access(user, Session, request.POST.get("session", ""))
        congress_id = session.term.congress_id
    rows = _similar_rows(user, congress_id, _similar_text(request.POST), int(exclude) if exclude.isdigit() else None)
    return render(request, "participation/_similar.html", {"similar": rows, "typed": True})


@page
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    proposal = queries.access(user, Proposal, pk)
    if "edit" not in actions.allowed_verbs(user, proposal):
        raise PermissionDenied("edit")
    initial = {k: getattr(proposal, k) for k in ("title", "cause", "measures", "category")}
    form = forms.ProposalForm(request.POST or None, request.FILES or None, initial=initial)
    form.watch_similar(reverse("voice-similar"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save() -> Proposal:
            with transaction.atomic():
                actions.edit_draft(user, proposal, data["title"], data["cause"], data["measures"], data["category"])
                _attach_all(user, proposal, data["attachments"])
            return proposal

        ok, _saved = attempt(form, save, {"file": "attachments"})
        if ok:
            messages.success(request, _("草稿已保存。"))
            return redirect("voice-proposal", pk=proposal.pk)
    similar_rows = _similar_rows(user, proposal.congress_id, _similar_text(form.data if form.is_bound else initial),
                                 proposal.pk)
    return render_page(request, "participation/proposal_form.html", {
        "form": form, "similar": similar_rows, "proposal": proposal, "typed": True,
    })


# --- Detail and the verbs ----------------------------------------------------------------------

def timeline(proposal: Proposal) -> list[dict]:
    """The proposal's trail events, oldest first, with who did it and the state it led to."""
    events = list(Event.objects.filter(object_type="participation.proposal", object_id=str(proposal.pk))
                  .order_by("seq"))
    names = {u.pk: (u.person.name if u.person_id else u.username)
             for u in User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id}).select_related("person")}
    rows = []
    for event in events:
        data = json.loads(bytes(event.leaf)).get("data", {})
        to = data.get("to")
        rows.append({"seq": event.seq, "at": event.created_at, "verb": VERB_LABELS.get(event.verb, event.verb),
                     "to": State(to).label if to in State.values else "", "by": names.get(event.actor_id, "")})
    return rows


def merge_targets(proposal: Proposal, user) -> list[Proposal]:
    return list(queries.visible(user, Proposal).filter(
        session=proposal.session, state__in=[State.SUBMITTED, State.UNDER_REVIEW, State.ACCEPTED])
        .exclude(pk=proposal.pk).order_by("id")[:200])


def enterprise_departments(proposal: Proposal) -> list[Department]:
    return list(Department.objects.filter(enterprise_id=proposal.congress.enterprise_id).order_by("name"))


def verb_forms(proposal: Proposal, user, verbs: set[str], data=None, files=None, only: str = "") -> dict:
    """The form of every verb the user may do now; `only` binds that one to the POST."""
    def bound(name):
        return (data, files) if name == only else (None, None)

    made: dict[str, django_forms.Form] = {}
    if "convert" in verbs:
        made["convert"] = forms.ReasonForm(*bound("convert"), prefix="convert")
    if "reopen" in verbs:
        made["reopen"] = forms.ReasonForm(*bound("reopen"), prefix="reopen")
    if "merge" in verbs:
        made["merge"] = forms.MergeForm(*bound("merge"), prefix="merge", targets=merge_targets(proposal, user))
    if "assign" in verbs:
        made["assign"] = forms.AssignForm(*bound("assign"), prefix="assign",
                                          departments=enterprise_departments(proposal))
    if "answer" in verbs:
        made["answer"] = forms.AnswerForm(*bound("answer"), prefix="answer")
    if verbs & {"report_progress", "complete"}:
        made["progress"] = forms.ProgressForm(*bound("progress"), prefix="progress",
                                              initial={"percent": proposal.progress})
    if "rate" in verbs:
        made["rate"] = forms.RateForm(*bound("rate"), prefix="rate")
    if "edit" in verbs:
        made["attach"] = forms.AttachForm(*bound("attach"), prefix="attach")
    return made


def detail_context(request: HttpRequest, proposal: Proposal, bound: dict | None = None) -> dict:
    user = request.user
    proposal.refresh_from_db()
    verbs = actions.allowed_verbs(user, proposal)
    made = verb_forms(proposal, user, verbs)
    made.update(bound or {})
    cosigners = proposal.signers.filter(role=ProposalSigner.Role.COSIGNER).count()
    return {
        "proposal": proposal, "verbs": verbs, "forms": made, "timeline": timeline(proposal),
        "signers": proposal.signers.select_related("delegate__person", "delegate__constituency").order_by("id"),
        "updates": proposal.updates.prefetch_related("files").order_by("on", "id"),
        "attachments": proposal.files.filter(kind="attachment").order_by("id"),
        "may_cosign": actions.may_cosign(user, proposal), "cosigners": cosigners,
        "needed": required_cosigners(proposal) if proposal.state == State.DRAFT else 0,
        "share_url": request.build_absolute_uri(reverse("voice-proposal", args=[proposal.pk])),
        "overdue": queries.is_overdue(proposal), "co_departments": proposal.co_departments.order_by("name"),
        "merged": proposal.merged.order_by("id"),
    }


@page
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = queries.access(request.user, Proposal, pk)
    return render_page(request, "participation/proposal_detail.html", detail_context(request, proposal))


def _assign(user, proposal: Proposal, data: dict) -> Proposal:
    departments = {d.pk: d for d in enterprise_departments(proposal)}
    lead = departments.get(data["lead_department"])
    if lead is None:
        raise NotFound("department")
    co = [departments[pk] for pk in data["co_departments"] if pk in departments]
    return actions.assign(user, proposal, lead, co, data["due_on"])


def _merge(user, proposal: Proposal, data: dict) -> Proposal:
    return actions.merge(user, proposal, queries.access(user, Proposal, data["into"]))


# url verb -> (form key or None, call(user, proposal, cleaned data)); `aliases` as in attempt().
VERBS: dict[str, tuple[str | None, Callable]] = {
    "submit": (None, lambda u, p, d: actions.submit(u, p)),
    "withdraw": (None, lambda u, p, d: actions.withdraw(u, p)),
    "start-review": (None, lambda u, p, d: actions.start_review(u, p)),
    "accept": (None, lambda u, p, d: actions.accept(u, p)),
    "archive": (None, lambda u, p, d: actions.archive(u, p)),
    "cosign": (None, lambda u, p, d: actions.cosign(u, p)),
    "convert": ("convert", lambda u, p, d: actions.convert(u, p, d["reason"])),
    "reopen": ("reopen", lambda u, p, d: actions.reopen(u, p, d["reason"])),
    "merge": ("merge", _merge),
    "assign": ("assign", _assign),
    "answer": ("answer", lambda u, p, d: actions.answer(u, p, d["answer"], d["planned_measures"])),
    "progress": ("progress", lambda u, p, d: actions.report_progress(u, p, d["percent"], d["note"], files=d["file"])),
    "rate": ("rate", lambda u, p, d: actions.rate(u, p, d["rating"])),
    "attach": ("attach", lambda u, p, d: _attach_all(u, p, d["file"])),
}
FORM_CLASSES = {"convert": forms.ReasonForm, "reopen": forms.ReasonForm, "answer": forms.AnswerForm,
                "progress": forms.ProgressForm, "rate": forms.RateForm, "attach": forms.AttachForm}


def _bound_form(request: HttpRequest, proposal: Proposal, key: str) -> django_forms.Form:
    if key == "merge":
        return forms.MergeForm(request.POST, prefix=key, targets=merge_targets(proposal, request.user))
    if key == "assign":
        return forms.AssignForm(request.POST, prefix=key, departments=enterprise_departments(proposal))
    return FORM_CLASSES[key](request.POST, request.FILES, prefix=key)


class _Refusal(django_forms.Form):
    """Holds a refusal of a verb without a form (submit, accept, …)."""


@require_POST
@page
def proposal_act(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """One verb of the state machine, through its action. The page offers only what the user
    may do; anything else posted here is refused by the action, in Chinese, and nothing is
    written."""
    if verb not in VERBS:
        raise Http404
    user = request.user
    proposal = queries.access(user, Proposal, pk)
    key, call = VERBS[verb]
    form = _bound_form(request, proposal, key) if key else _Refusal({})
    ok = False
    if form.is_valid():
        try:
            ok, _result = attempt(form, lambda: call(user, proposal, form.cleaned_data), {"file": "file"})
        except PermissionDenied:
            form.add_error(None, _("您无权对该提案进行此操作。"))
            context = detail_context(request, proposal, {key: form} if key else None)
            return render_page(request, "participation/proposal_detail.html",
                               {**context, "refusal": form.non_field_errors()}, status=403)
    if ok:
        messages.success(request, DONE[verb.replace("-", "_")])
        return redirect("voice-proposal", pk=proposal.pk)
    context = detail_context(request, proposal, {key: form} if key else None)
    return render_page(request, "participation/proposal_detail.html",
                       {**context, "refusal": form.non_field_errors(), "failed": key or verb})


@page
def proposal_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """Attachments and evidence, only to those who may see the proposal."""
    proposal = queries.access(request.user, Proposal, pk)
    row = proposal.files.filter(pk=file_pk).first()
    if row is None:
        raise Http404
    inline = row.content_type.startswith("image/") or row.content_type == "application/pdf"
    return FileResponse(row.file.open("rb"), as_attachment=not inline, filename=row.title,
                        content_type=row.content_type)


# --- Search, queue, board ------------------------------------------------------------------------

def search_choices(user) -> tuple[list, list]:
    sessions = (congress_queries.visible(user, Session).filter(proposals__isnull=False).distinct()
                .select_related("term__congress__enterprise").order_by("-starts_at")[:50])
    enterprises = policy.visible_organizations(user).filter(kind="enterprise").values("pk")[:500]
    departments = Department.objects.filter(enterprise__in=enterprises).order_by("name")[:200]
    return [(s, session_label(s)) for s in sessions], list(departments)


@page
def search(request: HttpRequest) -> HttpResponse:
    user = request.user
    sessions, departments = search_choices(user)
    form = forms.SearchForm(request.GET or None, sessions=sessions, departments=departments)
    filters = form.filters() if form.is_bound else {"words": ""}
    rows = queries.search(user, **filters).select_related("session", "lead_department")
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "participation/search.html", {"form": form, "page_obj": page_obj})


@page
def queue(request: HttpRequest) -> HttpResponse:
    """What the user's departments must answer or carry out; overdue first in red."""
    today = timezone.localdate()
    rows = list(queries.department_queue(request.user, today).select_related("lead_department")[:200])
    for proposal in rows:
        proposal.overdue = queries.is_overdue(proposal, today)
        proposal.days_left = (proposal.due_on - today).days if proposal.due_on else None
    return render_page(request, "participation/queue.html", {"rows": rows,
                                                             "overdue": sum(p.overdue for p in rows)})


@page
def board_index(request: HttpRequest) -> HttpResponse:
    congresses = list(congress_queries.visible(request.user, Congress).select_related("enterprise")
                      .order_by("name")[:100])
    if len(congresses) == 1:
        return redirect("voice-board", pk=congresses[0].pk)
    return render_page(request, "participation/board_index.html", {"congresses": congresses})


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@page
def board(request: HttpRequest, pk: int) -> HttpResponse:
    congress = congress_queries.access(request.user, Congress, pk)
    figures = queries.board(request.user, congress.pk)
    states = [(State(s).label, n) for s, n in figures["states"].items()]
    departments = figures["departments"]
    charts = {
        "states": {"labels": [str(label) for label, _n in states], "series": [
            {"name": _("件数"), "data": [n for _label, n in states]}]},
        "departments": {"labels": [d["lead_department__name"] for d in departments], "series": [
            {"name": _("交办"), "data": [d["total"] for d in departments]},
            {"name": _("已答复"), "data": [d["answered"] for d in departments]},
            {"name": _("逾期未答复"), "data": [d["overdue"] for d in departments]}]},
        "rates": {"labels": [_("按期答复率"), _("满意率")], "series": [{"name": _("比率（%）"), "data": [
            round((figures["on_time_rate"] or 0) * 100, 1), round((figures["satisfaction_rate"] or 0) * 100, 1)]}]},
    }
    return render_page(request, "participation/board.html", {
        "congress": congress, "figures": figures, "states": states, "departments": departments, "charts": charts,
        "on_time_rate": percent(figures["on_time_rate"]), "satisfaction_rate": percent(figures["satisfaction_rate"]),
        "total": sum(n for _label, n in states),
    })

