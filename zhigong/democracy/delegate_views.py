"""The delegate's phone pages (my sessions, the session with its documents, check-in, the
ballot with a confirmation step and a verifiable receipt) and the congress's public records
(bulletin, resolution and its PDF, document download).

Secrecy: the ballot travels only in the POST that casts it and in the page answering it. It is
never put in the session, a message, a redirect URL or a log; the receipt page is not cached."""

from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from zhigong.core import policy
from zhigong.core.errors import DomainError, NotFound, PermissionDenied
from zhigong.core.views import attempt, page
from zhigong.democracy import actions, ballots, forms, pdf, queries, rules
from zhigong.democracy.models import (
    AgendaItem,
    Delegate,
    Document,
    Resolution,
    Session,
    Term,
    VoterRoll,
    VotingRound,
)
from zhigong.democracy.views import get, may_manage, render_page
from zhigong.trail.canonical import canonical_json

Item = AgendaItem


def delegate_of(user, term: Term) -> Delegate:
    """The user's own serving delegacy in the term; others may read but not act (403)."""
    delegate = actions.active_delegates(term).filter(person_id=getattr(user, "person_id", None) or -1).first()
    if delegate is None:
        raise PermissionDenied("delegate_only")
    return delegate


def own_delegate(user, term: Term) -> Delegate | None:
    try:
        return delegate_of(user, term)
    except PermissionDenied:
        return None


def open_round(item: Item) -> VotingRound | None:
    if item.status != Item.Status.VOTING:
        return None
    return item.rounds.filter(closed_at__isnull=True).prefetch_related("candidates__person").first()


def has_voted(voting_round: VotingRound | None, delegate: Delegate | None) -> bool:
    """Only that the delegate has voted (the roll), never how."""
    if voting_round is None or delegate is None:
        return False
    return VoterRoll.objects.filter(round=voting_round, delegate=delegate).exists()


# --- Session page for delegates and readers -------------------------------------------------------

@page
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    session = get(request, Session, pk)
    delegate = own_delegate(user, session.term)
    items = list(session.items.select_related("resolution").prefetch_related("documents").order_by("order"))
    for item in items:
        item.voted = has_voted(open_round(item), delegate)
    return render_page(request, "democracy/session.html", {
        "session": session, "term": session.term, "congress": session.term.congress, "items": items,
        "delegate": delegate, "may_manage": may_manage(user, session.term.congress.enterprise),
        "checked_in": delegate is not None and session.check_ins.filter(delegate=delegate).exists(),
        "attendance": actions.attendance(session),
        "documents": session.documents.select_related("item").order_by("id"),
        "can_check_in": session.status in (Session.Status.CONVENED, Session.Status.OPEN),
    })


@page
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Typing the code shown in the hall, or opening the QR code's URL, which fills it in."""
    user = request.user
    session = get(request, Session, pk)
    delegate = delegate_of(user, session.term)
    form = forms.CheckInForm(request.POST or None, initial={"code": request.GET.get("code", "")[:6]})
    if request.method == "POST" and form.is_valid():
        ok, _entry = attempt(form, lambda: actions.check_in(user, session, form.cleaned_data["code"]))
        if ok:
            messages.success(request, _("签到成功。"))
            return redirect("congress-session", pk=session.pk)
    return render_page(request, "democracy/check_in.html", {
        "session": session, "form": form,
        "checked_in": session.check_ins.filter(delegate=delegate).exists(),
    }, status=400 if form.errors else 200)


# --- Ballot ------------------------------------------------------------------------------------

@dataclass
class BallotState:
    item: Item
    delegate: Delegate
    round: VotingRound | None
    checked_in: bool
    voted: bool

    @property
    def candidates(self) -> list:
        return sorted(self.round.candidates.all(), key=lambda c: c.pk) if self.round else []


def _state(user, item: Item) -> BallotState:
    delegate = delegate_of(user, item.session.term)
    voting_round = open_round(item)
    checked_in = item.session.check_ins.filter(delegate=delegate).exists()
    return BallotState(item, delegate, voting_round, checked_in, has_voted(voting_round, delegate))


def _ballot_form(state: BallotState, data=None) -> forms.BallotForm:
    seats = state.round.seats if state.round else 0
    return forms.BallotForm(data, kind=state.item.kind, candidates=state.candidates, seats=seats)


def _vote_page(request: HttpRequest, state: BallotState, form, status: int = 200, refusal: str = "") -> HttpResponse:
    return render_page(request, "democracy/vote.html", {
        "item": state.item, "session": state.item.session, "state": state, "form": form, "refusal": refusal,
    }, status=status)


def _clean_error(state: BallotState, content: dict) -> tuple[dict | None, str | None]:
    """The content as the action will accept it, or the action's message for why not. Checked
    before the confirmation step so the delegate confirms what will be counted."""
    try:
        return ballots.clean_content(state.item.kind, content, [c.pk for c in state.candidates],
                                     state.round.seats), None
    except ballots.BallotError as exc:
        return None, str(actions.BALLOT_MESSAGES[str(exc)])


def summary(item: Item, content: dict, names: dict[int, str]) -> list[str]:
    """The ballot in words, as the delegate confirms it and as the bulletin shows it."""
    if item.kind == Item.Kind.APPROVE:
        return [str(dict(forms.CHOICE_LABELS)[content["choice"]])]
    if item.kind == Item.Kind.ELECT:
        return [names.get(c, str(c)) for c in content["approve"]] or [_("未选任何候选人")]
    return [_("%(name)s：%(grade)s") % {"name": names.get(int(s), s), "grade": forms.GRADE_LABELS[g]}
            for s, g in sorted(content["ratings"].items(), key=lambda pair: int(pair[0]))]


@never_cache
@page
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Three steps: mark the ballot, confirm it, cast it. The confirmation page carries the
    ballot back in a hidden field; with JavaScript the phone adds its commitment."""
    item = get(request, Item, pk)
    state = _state(request.user, item)
    if request.method != "POST" or state.round is None:
        return _vote_page(request, state, _ballot_form(state))
    if "content" in request.POST:
        return _cast(request, state)
    form = _ballot_form(state, request.POST)
    if form.is_valid():
        clean, error = _clean_error(state, form.content())
        if error is None:
            return _confirm_page(request, state, clean)
        form.add_error(form.error_field(), error)
    return _vote_page(request, state, form, status=400)


def _names(state: BallotState) -> dict[int, str]:
    return {c.pk: c.person.name for c in state.candidates}


def _confirm_page(request: HttpRequest, state: BallotState, clean: dict) -> HttpResponse:
    content = canonical_json(clean).decode()
    return render_page(request, "democracy/vote_confirm.html", {
        "item": state.item, "session": state.item.session, "round": state.round,
        "summary": summary(state.item, clean, _names(state)),
        "form": forms.CastForm(initial={"content": content}), "content": content,
    })


def _cast(request: HttpRequest, state: BallotState) -> HttpResponse:
    cast = forms.CastForm(request.POST)
    if not cast.is_valid():
        refusal = next(iter(cast.errors.values()))[0]
        return _vote_page(request, state, _ballot_form(state), status=400, refusal=refusal)
    data = cast.cleaned_data
    try:
        receipt = actions.cast_ballot(request.user, state.item, data["content"], data["commitment"] or None)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        state.voted = has_voted(state.round, state.delegate)
        return _vote_page(request, state, _ballot_form(state), status=400, refusal=str(exc.message))
    return _receipt_page(request, state, data["content"], receipt)


def _receipt_page(request: HttpRequest, state: BallotState, content: dict, receipt: dict) -> HttpResponse:
    clean, _error = _clean_error(state, content)
    response = render_page(request, "democracy/vote_receipt.html", {
        "item": state.item, "session": state.item.session, "receipt": receipt,
        "content": canonical_json(clean).decode(), "summary": summary(state.item, clean, _names(state)),
    })
    response["Cache-Control"] = "no-store"
    return response


# --- Bulletin ----------------------------------------------------------------------------------

def recount(kind: str, entries: list[dict], candidates: list[int]) -> dict:
    """The tally anyone gets by counting the bulletin's entries, in the stored result's terms."""
    contents = [e["content"] for e in entries]
    if kind == Item.Kind.APPROVE:
        counts = Counter(c["choice"] for c in contents)
        return {choice: counts.get(choice, 0) for choice in rules.CHOICES}
    if kind == Item.Kind.ELECT:
        votes = rules.tally_approvals([c["approve"] for c in contents], candidates)
        return {"votes": {str(k): v for k, v in votes.items()}}
    ratings = rules.tally_ratings([c["ratings"] for c in contents], candidates)
    return {"ratings": {str(k): v for k, v in ratings.items()}}


def agrees(counted: dict, result: dict) -> bool:
    return all(result.get(key) == value for key, value in counted.items())


def _board(item: Item, voting_round: VotingRound) -> dict:
    board = queries.bulletin(voting_round)
    candidates = sorted(voting_round.candidates.values_list("pk", flat=True))
    names = dict(item.candidates.values_list("pk", "person__name"))
    for entry in board["entries"]:
        entry["json"] = canonical_json(entry["content"]).decode()
        entry["shown"] = "、".join(summary(item, entry["content"], names))
    counted = recount(item.kind, board["entries"], candidates)
    return {"round": voting_round, **board, "recount": counted, "recount_ok": agrees(counted, board["result"]),
            "names": names, "candidates": candidates}


@page
def bulletin(request: HttpRequest, pk: int) -> HttpResponse:
    """Every counted receipt with its ballot, per closed round; open items also name the voter."""
    item = get(request, Item, pk)
    rounds = item.rounds.exclude(closed_at__isnull=True).order_by("number")
    boards = [_board(item, r) for r in rounds]
    return render_page(request, "democracy/bulletin.html", {
        "item": item, "session": item.session, "boards": boards,
        # The published results, for the phone's own recount (ballot.js).
        "results": {str(b["round"].pk): b["result"] for b in boards},
    })


# --- Resolutions and documents -------------------------------------------------------------------

def resolution_context(resolution: Resolution) -> dict:
    item = resolution.item
    figures = resolution.figures
    names = dict(item.candidates.values_list("pk", "person__name"))
    votes = [(names.get(int(k), k), v) for k, v in sorted(figures.get("votes", {}).items(),
                                                           key=lambda pair: -pair[1])]
    ratings = [(names.get(int(k), k), [(forms.GRADE_LABELS[g], n) for g, n in grades.items()])
               for k, grades in figures.get("ratings", {}).items()]
    return {"resolution": resolution, "item": item, "session": item.session, "congress": item.session.term.congress,
            "figures": figures, "votes": votes, "ratings": ratings, "grade_labels": list(forms.GRADE_LABELS.values()),
            "proof": queries.resolution_proof(resolution)}


@page
def resolution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = get(request, Resolution, pk)
    return render_page(request, "democracy/resolution.html", resolution_context(resolution))


@page
def resolution_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = get(request, Resolution, pk)
    document = pdf.resolution_pdf(resolution_context(resolution))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="resolution-{resolution.pk}.pdf"'
    return response


@page
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Session documents are served only through here: whoever may see the session."""
    document = policy.access_scoped(request.user, Document.objects.all(), pk, "session__term__congress__enterprise",
                                    "view", "document")
    name = document.file.name.rsplit("/", 1)[-1]
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name,
                        content_type=document.content_type)
