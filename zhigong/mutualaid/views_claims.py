"""Pages of claims: the worker's "my claims" and the submission form (both for a 360-px phone),
the officer queue with filters, overdue and duplicate flags, and the claim with its computation,
reviews and the forms of what the user may do now.

Every page reads through queries_claims (404 for outsiders) and changes only through
actions_claims; a DomainError is shown beside the field it names and the input is kept."""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhigong.core.errors import NotFound
from zhigong.core.views import attempt, page
from zhigong.mutualaid import actions_claims as actions
from zhigong.mutualaid import forms_claims as forms
from zhigong.mutualaid import presenting_claims as presenting
from zhigong.mutualaid import queries_claims as queries

NAV = {"nav_section": "mutualaid"}


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"mutualaid/claims/{template}", {**NAV, **context}, status=status)


@page
def mine(request: HttpRequest) -> HttpResponse:
    claims = [(c, presenting.steps(c)) for c in queries.my_claims(request.user)[:50]]
    return render_page(request, "mine.html", {
        "claims": claims, "may_submit": queries.claimable_coverages(request.user).exists(),
        "is_officer": queries.works_on_claims(request.user)})


@page
def new(request: HttpRequest) -> HttpResponse:
    coverages = list(queries.claimable_coverages(request.user).order_by("person__name", "-starts_on", "pk")[:1000])
    if not coverages:
        return render_page(request, "new.html", {"form": None})
    form = forms.ClaimForm(request.POST or None, request.FILES or None, coverages=coverages)
    if request.method == "POST" and form.is_valid():
        done, claim = attempt(form, lambda: actions.submit_claim(request.user, form.claim_input(), form.documents()))
        if done:
            messages.success(request, _("申请%(number)s已提交。") % {"number": claim.number})
            return redirect("mutualaid-claims-detail", pk=claim.pk)
    status = 400 if request.method == "POST" else 200
    return render_page(request, "new.html", {"form": form}, status=status)


@page
def queue(request: HttpRequest) -> HttpResponse:
    form = forms.QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.queue(request.user, filters.get("state", ""), filters.get("overdue", False),
                       filters.get("flagged", False), filters.get("q", ""))
    page_obj = queries.page_of(qs, request.GET.get("page"))
    rows = [(c, queries.is_overdue(c), presenting.flags(c)) for c in page_obj]
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(request, "queue.html", {"form": form, "page": page_obj, "rows": rows,
                                               "query": query.urlencode()})


def _detail(request: HttpRequest, claim, status: int = 200, **forms_in) -> HttpResponse:
    verbs = presenting.verbs(request.user, claim)
    context = {
        "claim": claim, "steps": presenting.steps(claim), "flags": presenting.flags(claim), "verbs": verbs,
        "overdue": queries.is_overdue(claim), "stage": presenting.stage_label(claim),
        "due_day": presenting.due_day(claim), "reviews": claim.reviews.select_related("reviewer").order_by("pk"),
        "documents": claim.documents.order_by("pk"),
        "decide_form": forms_in.get("decide_form") or (forms.DecideForm() if "approve" in verbs else None),
        "appeal_form": forms_in.get("appeal_form") or (forms.AppealForm() if "appeal" in verbs else None),
        "document_form": forms_in.get("document_form") or (forms.DocumentForm() if "add_document" in verbs
                                                             else None),
    }
    return render_page(request, "detail.html", context, status=status)


@page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, queries.access_claim(request.user, pk))


def _act(request: HttpRequest, pk: int, form_name: str, form, call, done_message) -> HttpResponse:
    """One of the claim page's forms: the action on success (back to the claim), else the claim
    again with the error beside the field and the input kept."""
    claim = queries.access_claim(request.user, pk)
    if form.is_valid():
        done, result = attempt(form, lambda: call(claim, form.cleaned_data))
        if done:
            messages.success(request, done_message(result))
            return redirect("mutualaid-claims-detail", pk=claim.pk)
    return _detail(request, claim, status=400, **{form_name: form})


@page
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    def call(claim, data):
        if data["decision"] == "approve":
            return actions.approve_claim(request.user, claim)
        return actions.reject_claim(request.user, claim, data["reason"])

    return _act(request, pk, "decide_form", forms.DecideForm(request.POST), call,
                lambda claim: _("已办理：%(state)s。") % {"state": claim.get_state_display()})


@page
@require_POST
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "appeal_form", forms.AppealForm(request.POST),
                lambda claim, data: actions.appeal_claim(request.user, claim, data["reason"]),
                lambda _claim: _("申诉已提交。"))


@page
@require_POST
def add_document(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "document_form", forms.DocumentForm(request.POST, request.FILES),
                lambda claim, data: actions.add_document(request.user, claim, data["kind"], data["file"]),
                lambda _document: _("材料已上传。"))


@page
def document(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    claim = queries.access_claim(request.user, pk)
    found = claim.documents.filter(pk=document_id).first()
    if found is None:
        raise NotFound("document")
    return FileResponse(found.file.open("rb"), content_type=found.content_type, as_attachment=True,
                        filename=found.name)
