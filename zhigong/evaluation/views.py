"""Pages of the three-party evaluation: the start page, a federation's ranking with its weakest
indicators, an enterprise's evaluation (radar, each indicator's figures, what to improve, the
parties' scores and forms), the reports as pages and PDFs, and the workers' survey.

Every page fetches through evaluation.queries (404 for outsiders) and changes only through
evaluation.actions; a DomainError becomes a message beside the field it names."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhigong.core import policy
from zhigong.core.errors import DomainError
from zhigong.core.views import attempt, page
from zhigong.evaluation import actions, display, facts, forms, pdf, queries, svg
from zhigong.evaluation.models import Survey

NAV = {"nav_section": "evaluation"}
PAGE_SIZE = 50


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {**NAV, **context}, status=status)


def this_year() -> int:
    return timezone.localdate().year


@page
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render_page(request, "evaluation/index.html", {
        "year": this_year(), "federations": queries.evaluating_federations(user),
        "enterprises": queries.own_enterprises(user), "surveys": queries.open_surveys(user)})


# --- A federation --------------------------------------------------------------------------------

def federation_context(request: HttpRequest, federation, year: int) -> dict:
    user = request.user
    ranked = queries.ranking(user, federation, year)
    weakest = queries.weakest(user, federation, year)
    grades = queries.grade_counts(user, federation, year)
    bands = _raw_bands(federation.region_id, year)
    return {"federation": federation, "year": year, "ranked": ranked, "weakest": weakest, "grades": grades,
            "grade_rows": [(display.grade(g), grades.get(g, 0)) for _m, g in bands],
            "levels": {g: n for n, (_m, g) in enumerate(bands)},
            "enterprises": queries.enterprise_count(user, federation),
            "weak_svg": svg.bars([w["short"] for w in weakest], [w["average_permille"] for w in weakest], 1000,
                                 [display.percent(w["average_permille"]) for w in weakest], highlight_below=600),
            "charts": {"weakest": {"labels": [w["short"] for w in weakest],
                                   "values": [round(w["average_permille"] / 10, 1) for w in weakest]}}}


@page
def federation(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    found = queries.access_federation(request.user, pk)
    context = federation_context(request, found, year)
    rows = Paginator(context["ranked"], PAGE_SIZE).get_page(request.GET.get("page"))
    _label_rows(rows, rows.start_index(), context["levels"])
    return render_page(request, "evaluation/federation.html", {
        **context, "rows": rows, "may_compute": policy.may_organization(request.user, "evaluate", found),
        "years": range(this_year(), this_year() - 5, -1)})


def _label_rows(rows, first: int, levels: dict) -> None:
    for n, row in enumerate(rows, start=first):
        row.rank, row.score, row.grade_label = n, display.score(row.score_hundredths), display.grade(row.grade)
        row.grade_level = levels.get(row.grade, 0)


@require_POST
@page
def federation_compute(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    found = queries.access_federation(request.user, pk)

    def compute() -> None:
        summary = actions.compute_federation(request.user, found, year)
        messages.success(request, _("已计算%(n)s家企业的%(year)d年度评价。") % {"n": f"{summary.enterprises:,}",
                                                                           "year": year})

    _flash(request, compute, "")
    return redirect("evaluation-federation", pk=found.pk, year=year)


# --- One enterprise ------------------------------------------------------------------------------

def enterprise_context(request: HttpRequest, enterprise, year: int) -> dict:
    view = queries.enterprise_view(request.user, enterprise, year)
    for score in view["scores"]:
        score.label, score.shown = display.name(score.code), f"{score.value_tenths / 10:.1f}"
    shown = view["lines"]
    labels = [x.short for x in shown]
    shares = [x.share_permille for x in shown]
    return {**view, "enterprise": enterprise, "year": year,
            "score": display.score(view["evaluation"].score_hundredths) if view["evaluation"] else "",
            "grade": display.grade(view["evaluation"].grade) if view["evaluation"] else "",
            "bands": [(m, display.grade(g)) for m, g in view["indicator_set"].bands] if view["indicator_set"] else [],
            "radar_svg": svg.radar(labels, shares) if shown else "",
            "charts": {"radar": {"labels": labels, "values": [max(s, 0) / 10 for s in shares],
                                 "judged": [s >= 0 for s in shares]}}}


def _score_forms(request: HttpRequest, enterprise, year: int, scored: list, posted: str = "", bound=None) -> list:
    """A form for each scored indicator this user may score (the federation's, the assessor's)."""
    out = []
    for indicator in scored:
        if indicator.party == "workers" or not actions.may_score(request.user, enterprise, indicator.party):
            continue
        form = bound if posted == indicator.code else forms.ScoreForm(prefix=indicator.code)
        out.append((indicator, display.name(indicator.code, indicator.name), form))
    return out


@page
def enterprise(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    found = queries.access_enterprise(request.user, pk)
    context = enterprise_context(request, found, year)
    posted, bound = "", None
    if request.method == "POST":
        posted = request.POST.get("code", "")
        bound = forms.ScoreForm(request.POST, prefix=posted)
        if bound.is_valid():
            ok, _row = attempt(bound, lambda: actions.enter_score(request.user, found, year, posted,
                                                                  bound.cleaned_data["value"],
                                                                  bound.cleaned_data["note"]))
            if ok:
                messages.success(request, _("评分已保存。重新计算后计入评价。"))
                return redirect("evaluation-enterprise", pk=found.pk, year=year)
    return render_page(request, "evaluation/enterprise.html", {
        **context, "score_forms": _score_forms(request, found, year, context["scored"], posted, bound),
        "may_compute": actions.may_compute(request.user, found),
        "may_survey": policy.may_organization(request.user, "evaluate", found)}, status=400 if bound else 200)


@require_POST
@page
def enterprise_compute(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    found = queries.access_enterprise(request.user, pk)
    _flash(request, lambda: actions.compute_evaluation(request.user, found, year), _("评价已重新计算。"))
    return redirect("evaluation-enterprise", pk=found.pk, year=year)


@require_POST
@page
def survey_open(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    found = queries.access_enterprise(request.user, pk)
    _flash(request, lambda: actions.open_survey(request.user, found, year),
           _("满意度测评已开始，本企业职工可在手机上参加。"))
    return redirect("evaluation-enterprise", pk=found.pk, year=year)


@require_POST
@page
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = queries.access_survey(request.user, pk)
    _flash(request, lambda: actions.close_survey(request.user, survey), _("测评已结束。"))
    return redirect("evaluation-enterprise", pk=survey.enterprise_id, year=survey.year)


def _flash(request: HttpRequest, call, done: str) -> None:
    try:
        call()
    except DomainError as exc:
        if exc.status != 400:
            raise
        messages.error(request, str(exc.message))
    else:
        if done:
            messages.success(request, done)


# --- Reports -------------------------------------------------------------------------------------

@page
def enterprise_report(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    found = queries.access_enterprise(request.user, pk)
    return render_page(request, "evaluation/enterprise_report.html", _report(request, found, year))


def _report(request: HttpRequest, found, year: int) -> dict:
    return {**enterprise_context(request, found, year), "printed_on": timezone.localdate()}


@page
def enterprise_pdf(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    found = queries.access_enterprise(request.user, pk)
    document = pdf.enterprise_pdf(_report(request, found, year))
    return _pdf_response(document, f"evaluation-{found.pk}-{year}.pdf")


@page
def federation_report(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    found = queries.access_federation(request.user, pk)
    return render_page(request, "evaluation/federation_report.html", _federation_report(request, found, year))


def _federation_report(request: HttpRequest, found, year: int) -> dict:
    context = federation_context(request, found, year)
    ranked = list(context["ranked"][:500])
    _label_rows(ranked, 1, context["levels"])
    top = ranked[:20]
    context["rank_svg"] = svg.bars([r.enterprise.name for r in top], [r.score_hundredths for r in top], 10000,
                                   [r.score for r in top], highlight_below=6000)
    return {**context, "rows": ranked, "printed_on": timezone.localdate()}


def _raw_bands(region: str, year: int) -> list:
    found = facts.indicator_set_for(region, year)
    return list(found.bands) if found else []


@page
def federation_pdf(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    found = queries.access_federation(request.user, pk)
    document = pdf.federation_pdf(_federation_report(request, found, year))
    return _pdf_response(document, f"evaluation-federation-{found.pk}-{year}.pdf")


def _pdf_response(document: bytes, name: str) -> HttpResponse:
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- The survey ----------------------------------------------------------------------------------

@page
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    found: Survey = queries.access_survey(request.user, pk)
    answered = actions.has_answered(request.user, found)
    form = forms.SurveyForm(request.POST or None, survey=found)
    if request.method == "POST" and not answered and form.is_valid():
        ok, _done = attempt(form, lambda: actions.answer_survey(request.user, found, form.ratings()))
        if ok:
            messages.success(request, _("感谢参加测评。您的答卷不记录姓名。"))
            return redirect("evaluation-survey", pk=found.pk)
    return render_page(request, "evaluation/survey.html", {
        "survey": found, "form": form, "answered": answered, "may_answer": actions.may_answer(request.user, found),
        "answers": found.answers.count()}, status=400 if form.errors else 200)
