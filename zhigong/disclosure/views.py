"""Pages of 厂务公开: a worker's list on the phone, an enterprise's disclosures, catalogue,
calendar and compliance, publishing (with a confirmation: published is final) and correcting,
reading, acknowledging and asking, the departments' questions, and a federation's heat map and
ranking. Each view parses, calls one action or query, and renders."""


from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhigong.core import policy
from zhigong.core.errors import NotFound
from zhigong.core.models import Department, Organization
from zhigong.core.views import attempt, page
from zhigong.democracy.models import Session
from zhigong.disclosure import actions, forms, queries, rules
from zhigong.disclosure.models import Matter, Publication

NAV = {"nav_section": "disclosure"}
PAGE_SIZE = 20


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {**NAV, **context}, status=status)


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _status_labels() -> dict:
    return {rules.ON_TIME: _("按时公开"), rules.LATE: _("逾期公开"), rules.MISSING: _("逾期未公开"),
            rules.NOT_DUE: _("未到期")}


@page
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    federations = policy.visible_organizations(user).filter(kind=Organization.Kind.FEDERATION).order_by("path")[:1]
    page_obj = Paginator(queries.feed(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "disclosure/index.html", {
        "page_obj": page_obj, "managed": queries.managed_enterprises(user),
        "federation": federations[0] if federations else None,
        "queue": queries.question_queue(user).count(),
    })


@page
def enterprise(request: HttpRequest, org_pk: int) -> HttpResponse:
    user = request.user
    org = queries.access_reader_enterprise(user, org_pk)
    rows = queries.publications(user, org)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "disclosure/enterprise.html", {
        "enterprise": org, "page_obj": page_obj, "may_manage": policy.may_organization(user, "change", org),
        "may_view": policy.may_organization(user, "view", org),
    })


@page
def catalogue(request: HttpRequest, org_pk: int) -> HttpResponse:
    user = request.user
    org = queries.access_enterprise(user, org_pk)
    may_manage = policy.may_organization(user, "change", org)
    departments = list(Department.objects.filter(enterprise=org).order_by("name"))
    form = forms.MatterForm(request.POST or None, departments=departments) if may_manage else None
    if request.method == "POST":
        queries.access_enterprise(user, org_pk, "change")
        if request.POST.get("adopt"):
            added = actions.adopt_defaults(user, org)
            messages.success(request, _("已采用默认公开目录，新增%(n)d项。") % {"n": len(added)})
            return redirect("disclosure-catalogue", org_pk=org.pk)
        if form is not None and form.is_valid():
            d = form.cleaned_data
            department = next((x for x in departments if x.pk == d["department"]), None)
            ok, _matter = attempt(form, lambda: actions.add_matter(user, org, d["name"], d["category"],
                                                                   d["frequency"], d["audience"], department,
                                                                   d["mandatory"]))
            if ok:
                messages.success(request, _("公开事项已增加。"))
                return redirect("disclosure-catalogue", org_pk=org.pk)
    matters = queries.catalogue(org)
    return render_page(request, "disclosure/catalogue.html", {
        "enterprise": org, "matters": matters, "adopted": any(m.pk for m in matters), "form": form,
        "may_manage": may_manage, "departments": departments,
    }, status=400 if form is not None and form.errors else 200)


@page
@require_POST
def matter_department(request: HttpRequest, pk: int) -> HttpResponse:
    matter = Matter.objects.select_related("enterprise").filter(pk=pk).first()
    if matter is None:
        raise Http404
    queries.access_enterprise(request.user, matter.enterprise_id, "change")
    department = Department.objects.filter(pk=request.POST.get("department") or -1,
                                           enterprise=matter.enterprise).first()
    actions.set_department(request.user, matter, department)
    messages.success(request, _("责任部门已更新。"))
    return redirect("disclosure-catalogue", org_pk=matter.enterprise_id)


@page
def calendar(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = queries.access_enterprise(request.user, org_pk)
    year = _year(request)
    rows = queries.calendar(org, year)
    months: dict[str, list] = {}
    for row in rows:
        months.setdefault(row.obligation.period.due.strftime("%Y-%m"), []).append(row)
    return render_page(request, "disclosure/calendar.html", {
        "enterprise": org, "year": year, "months": months, "labels": _status_labels(),
        "may_manage": policy.may_organization(request.user, "change", org), "today": timezone.localdate(),
    })


@page
def compliance(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = queries.access_enterprise(request.user, org_pk)
    year = _year(request)
    result = queries.compliance(org, year)
    quarters = [(k, None if v is None else round(100 * float(v))) for k, v in result["by_quarter"].items()]
    data = [v if v is not None else 0 for _k, v in quarters]
    chart = {"quarters": {"labels": [k for k, _v in quarters], "series": [{"name": _("按时公开率"), "data": data}]}}
    return render_page(request, "disclosure/compliance.html", {
        "enterprise": org, "year": year, "result": result, "quarters": quarters, "labels": _status_labels(),
        "rate": None if result["rate"] is None else round(100 * float(result["rate"]), 1),
        "charts": chart,
        "may_manage": policy.may_organization(request.user, "change", org),
    })


# --- Publishing ---------------------------------------------------------------------------------

def _period_choices(org: Organization, matter: Matter) -> list[tuple[str, str]]:
    """Periods of last year and this one, open ones first (those not yet published)."""
    today = timezone.localdate()
    done = set(Publication.objects.filter(matter=matter, previous__isnull=True).values_list("period", flat=True))
    found = []
    for year in (today.year, today.year - 1):
        for p in rules.periods(matter.frequency, year, 0):
            if p.label not in done and p.start <= today:
                found.append((p.label, p.label))
    return found


def _session_choices(org: Organization) -> list[tuple[int, str]]:
    sessions = Session.objects.filter(term__congress__enterprise=org).exclude(status=Session.Status.CLOSED)
    return [(s.pk, f"{s.title}（{timezone.localtime(s.starts_at):%Y-%m-%d}）") for s in sessions.order_by("starts_at")]


@page
def publish(request: HttpRequest, org_pk: int) -> HttpResponse:
    user = request.user
    org = queries.access_enterprise(user, org_pk, "change")
    matters = [m for m in queries.catalogue(org) if m.pk]
    if not matters:  # a GET writes nothing: the catalogue is adopted by its own button first
        messages.info(request, _("请先采用默认公开目录，再发布公开信息。"))
        return redirect("disclosure-catalogue", org_pk=org.pk)
    matter = next((m for m in matters if str(m.pk) == (request.POST.get("matter") or request.GET.get("matter"))), None)
    if matter is None:
        return render_page(request, "disclosure/publish_pick.html", {"enterprise": org, "matters": matters})
    form = forms.PublishForm(request.POST or None, request.FILES or None, frequency=matter.frequency,
                             periods=_period_choices(org, matter), sessions=_session_choices(org),
                             initial={"period": request.GET.get("period", ""), "title": matter.name})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        session = Session.objects.filter(pk=d.get("session") or -1, term__congress__enterprise=org).first()
        ok, row = attempt(form, lambda: actions.publish(
            user, matter, d["title"], d["text"], rules.parse_table(d["table"]), d["files"], d.get("period", ""),
            session, d.get("event_on"), confirmed=d["confirm"]))
        if ok:
            messages.success(request, _("已发布。发布后不能修改，如有错误请发布更正版本。"))
            return redirect("disclosure-publication", pk=row.pk)
    return render_page(request, "disclosure/publish.html", {"enterprise": org, "matter": matter, "form": form},
                       status=400 if form.errors else 200)


@page
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    old = queries.access_publication(user, pk)
    queries.access_enterprise(user, old.enterprise_id, "change")
    table_text = "\n".join(" | ".join(r) for r in ([old.table["columns"]] + old.table["rows"])) if old.table else ""
    form = forms.CorrectForm(request.POST or None, request.FILES or None,
                             initial={"title": old.title, "text": old.text, "table": table_text})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, row = attempt(form, lambda: actions.correct(user, old, d["reason"], d["title"], d["text"],
                                                        rules.parse_table(d["table"]), d["files"]))
        if ok:
            messages.success(request, _("更正版本已发布，原版本仍可查看。"))
            return redirect("disclosure-publication", pk=row.pk)
    return render_page(request, "disclosure/correct.html", {"publication": old, "form": form},
                       status=400 if form.errors else 200)


# --- Reading ------------------------------------------------------------------------------------

def _versions(publication: Publication) -> list[Publication]:
    """Every version of the publication's chain, newest first; empty when there is only one."""
    chain = [publication]
    while chain[-1].previous_id:
        chain.append(chain[-1].previous)
    newer = Publication.objects.filter(previous=publication).first()
    while newer is not None:
        chain.insert(0, newer)
        newer = Publication.objects.filter(previous=newer).first()
    return chain if len(chain) > 1 else []


def _publication_page(request: HttpRequest, publication: Publication, question_form=None, status: int = 200):
    user = request.user
    probe_question = publication.questions.model(publication=publication)
    may_answer = actions.may_answer(user, probe_question)
    return render_page(request, "disclosure/publication.html", {
        "p": publication, "files": publication.files.all(),
        "corrected_by": Publication.objects.filter(previous=publication).first(),
        "versions": _versions(publication),
        "acknowledged": publication.acknowledgements.filter(user=user).exists(),
        "ack_count": publication.acknowledgements.count(),
        "questions": queries.questions(user, publication, may_answer), "may_answer": may_answer,
        "question_form": question_form or forms.QuestionForm(),
        "may_manage": policy.may_organization(user, "change", publication.enterprise),
    }, status=status)


@page
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    return _publication_page(request, queries.access_publication(request.user, pk))


@page
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.access_publication(request.user, pk)
    actions.acknowledge(request.user, found)
    messages.success(request, _("已确认阅读。"))
    return redirect("disclosure-publication", pk=found.pk)


@page
@require_POST
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.access_publication(request.user, pk)
    form = forms.QuestionForm(request.POST)
    if form.is_valid():
        ok, _q = attempt(form, lambda: actions.ask(request.user, found, form.cleaned_data["text"]))
        if ok:
            messages.success(request, _("问题已提交，责任部门答复后会通知您。"))
            return redirect("disclosure-publication", pk=found.pk)
    return _publication_page(request, found, form, status=400)


@page
def download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    found = queries.access_publication(request.user, pk).files.filter(pk=file_pk).first()
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.title,
                        content_type=found.content_type)


# --- Questions ----------------------------------------------------------------------------------

@page
def question_queue(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(queries.question_queue(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "disclosure/questions.html", {"page_obj": page_obj})


@page
def question(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = queries.access_question(user, pk)
    may_answer = actions.may_answer(user, found) and found.answered_at is None
    form = forms.AnswerForm(request.POST or None) if may_answer else None
    if request.method == "POST":
        if form is None:
            raise NotFound("question")
        if form.is_valid():
            ok, _q = attempt(form, lambda: actions.answer(user, found, form.cleaned_data["answer"]))
            if ok:
                messages.success(request, _("已答复，提问人会收到通知。"))
                return redirect("disclosure-questions")
    return render_page(request, "disclosure/question.html", {"q": found, "form": form},
                       status=400 if form is not None and form.errors else 200)


# --- Federations --------------------------------------------------------------------------------

@page
def federation(request: HttpRequest, org_pk: int) -> HttpResponse:
    user = request.user
    org = queries.access_federation(user, org_pk)
    year = _year(request)
    rows = queries.ranking(user, org, year)
    for n, row in enumerate(rows, start=1):
        row["rank"] = n
        row["percent"] = None if row["rate"] is None else round(100 * row["rate"], 1)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    weakest = sorted([r for r in rows if r["rate"] is not None], key=lambda r: (r["rate"], r["name"]))[:PAGE_SIZE]
    cells = queries.heat(weakest, year)
    chart = {"heat": {"enterprises": [r["name"] for r in weakest], "months": [f"{m}" for m in range(1, 13)],
                      "cells": [[m, i, v] for i, row in enumerate(cells) for m, v in enumerate(row) if v is not None]}}
    return render_page(request, "disclosure/federation.html", {
        "federation": org, "year": year, "page_obj": page_obj, "count": len(rows), "weakest": weakest,
        "heat_rows": list(zip(weakest, cells, strict=True)), "charts": chart,
        "months": list(range(1, 13)),
    })

