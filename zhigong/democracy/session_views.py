"""Pages that run a session: scheduling, agenda, candidates, documents, attendees, convening,
check-in by the secretariat, opening, voting item by item, and the live room shown on the
hall's projector. Results reach a page only through queries.live_figures and the round's
stored result, which stay empty until the chair closes the round."""

from collections.abc import Callable
from datetime import timedelta

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhigong.core.errors import DomainError, NotFound, PermissionDenied
from zhigong.core.views import attempt, page
from zhigong.democracy import actions, forms, queries
from zhigong.democracy.display import present_checks
from zhigong.democracy.models import AgendaItem, Congress, Session, Term
from zhigong.democracy.views import employees, get, may_manage, render_page

Item = AgendaItem


# --- Scheduling --------------------------------------------------------------------------------

@page
def session_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    term = get(request, Term, pk, "change")
    initial = {"kind": Session.Kind.REGULAR,
               "starts_at": timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
               + timedelta(days=14)}
    form = forms.SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, session = attempt(form, lambda: actions.schedule_session(
            user, term, data["title"], data["starts_at"], data["location"], data["kind"]))
        if ok:
            messages.success(request, _("已安排“%(title)s”。") % {"title": session.title})
            return redirect("congress-session-manage", pk=session.pk)
    return render_page(request, "democracy/form.html", {
        "form": form, "title": _("安排会议：第%(n)d届") % {"n": term.number},
        "back": reverse("congress-term", args=[term.pk]), "submit": _("安排"),
    }, status=400 if form.errors else 200)


# --- The session page of those who run it --------------------------------------------------------

def check_in_url(request: HttpRequest, session: Session) -> str:
    path = reverse("congress-check-in", args=[session.pk])
    return request.build_absolute_uri(f"{path}?code={session.check_in_code}")


def qr_svg(url: str, scale: int = 6) -> str:
    """The check-in URL as an inline SVG QR code (segno, pure Python): no image request, no
    third-party service. The data is a URL we built, so the markup is safe to inline."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, dark="#1f2328", light="#ffffff",
                                                            omitsize=True))


def _items(session: Session) -> list[Item]:
    items = list(session.items.prefetch_related("candidates__person", "documents").select_related("resolution")
                 .order_by("order"))
    for item in items:
        item.live = queries.live_figures(item)
        item.names = {c.pk: c.person.name for c in item.candidates.all()}
    return items


def _manage_context(request: HttpRequest, session: Session, **bound) -> dict:
    term = session.term
    congress: Congress = term.congress
    checked = session.check_ins.values("delegate_id")
    blocking = []
    if session.status == Session.Status.PLANNED and congress.form == Congress.Form.CONGRESS:
        blocking = present_checks([c for c in actions.composition(term) if c.hard and not c.ok], congress.region_id)
    errors = bound.get("errors", {})
    items = _items(session)
    for item in items:  # each item's own refusal and summary form
        item.error = errors.get(f"item-{item.pk}")
        item.advise_form = bound.get("advise_forms", {}).get(item.pk) or forms.AdviseForm(prefix=f"advise-{item.pk}")
    context = {
        "session": session, "term": term, "congress": congress, "may_manage": True,
        "attendance": actions.attendance(session), "items": items,
        "documents": session.documents.select_related("item").order_by("id"),
        "attendees": session.attendees.order_by("id"),
        "check_ins": session.check_ins.select_related("delegate__person").order_by("-at")[:200],
        "blocking": blocking, "errors": errors,
        "item_form": bound.get("item_form") or forms.ItemForm(),
        "attendee_form": bound.get("attendee_form") or forms.AttendeeForm(),
        "document_form": bound.get("document_form") or forms.DocumentForm(session=session),
        "checkin_form": bound.get("checkin_form") or forms.SecretariatCheckInForm(
            delegates=actions.active_delegates(term).exclude(pk__in=checked)
            .select_related("person", "constituency").order_by("person__name")),
    }
    if session.check_in_code and session.status in (Session.Status.CONVENED, Session.Status.OPEN):
        context["check_in_url"] = check_in_url(request, session)
        context["qr"] = qr_svg(context["check_in_url"])
    return context


def manage_page(request: HttpRequest, session: Session, status: int = 200, **bound) -> HttpResponse:
    return render_page(request, "democracy/session_manage.html", _manage_context(request, session, **bound),
                       status=status)


@page
def session_manage(request: HttpRequest, pk: int) -> HttpResponse:
    return manage_page(request, get(request, Session, pk, "change"))


def _posted(request: HttpRequest, session: Session, name: str, form, call: Callable, done: str) -> HttpResponse:
    """One form of the session page: on success back to the page, else the page again with
    the message beside the field and the input kept."""
    if form.is_valid():
        ok, _result = attempt(form, lambda: call(form.cleaned_data))
        if ok:
            messages.success(request, done)
            return redirect(reverse("congress-session-manage", args=[session.pk]) + f"#{name}")
    return manage_page(request, session, status=400, **{name: form})


@require_POST
@page
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    session = get(request, Session, pk, "change")
    return _posted(request, session, "item_form", forms.ItemForm(request.POST), lambda d: actions.add_agenda_item(
        user, session, d["title"], d["kind"], matter=d["matter"], description=d["description"],
        important=d["important"], seats=d["seats"] or 0), _("已增加议程。"))


@require_POST
@page
def attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    session = get(request, Session, pk, "change")
    return _posted(request, session, "attendee_form", forms.AttendeeForm(request.POST),
                   lambda d: actions.add_attendee(user, session, d["name"], d["affiliation"]), _("已增加列席代表。"))


@require_POST
@page
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    session = get(request, Session, pk, "change")
    form = forms.DocumentForm(request.POST, request.FILES, session=session)
    return _posted(request, session, "document_form", form, lambda d: actions.upload_document(
        user, session, d["title"], d["file"], d["item"]), _("文件已上传。"))


@require_POST
@page
def secretariat_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    session = get(request, Session, pk, "change")
    checked = session.check_ins.values("delegate_id")
    form = forms.SecretariatCheckInForm(request.POST, delegates=actions.active_delegates(session.term)
                                        .exclude(pk__in=checked).select_related("person", "constituency"))
    return _posted(request, session, "checkin_form", form, lambda d: actions.check_in(
        user, session, delegate=d["delegate"]), _("已代为签到。"))


def _button(request: HttpRequest, session: Session, name: str, call: Callable, done: str) -> HttpResponse:
    """A button with no fields (convene, open, open voting…): a refusal is shown beside it."""
    try:
        call()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        return manage_page(request, session, status=400, errors={name: str(exc.message)})
    messages.success(request, done)
    return redirect(reverse("congress-session-manage", args=[session.pk]) + f"#{name}")


@require_POST
@page
def session_convene(request: HttpRequest, pk: int) -> HttpResponse:
    session = get(request, Session, pk, "change")
    return _button(request, session, "convene", lambda: actions.convene_session(request.user, session),
                   _("会议通知已发送给全体代表。"))


@require_POST
@page
def session_open(request: HttpRequest, pk: int) -> HttpResponse:
    session = get(request, Session, pk, "change")
    return _button(request, session, "open", lambda: actions.open_session(request.user, session),
                   _("已宣布开会。"))


@require_POST
@page
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = get(request, Session, pk, "change")
    return _button(request, session, "close", lambda: actions.close_session(request.user, session), _("已闭会。"))


@require_POST
@page
def voting_open(request: HttpRequest, pk: int) -> HttpResponse:
    item = get(request, Item, pk, "change")
    return _button(request, item.session, f"item-{item.pk}", lambda: actions.open_voting(request.user, item),
                   _("“%(title)s”开始表决。") % {"title": item.title})


@require_POST
@page
def voting_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = get(request, Item, pk, "change")
    return _button(request, item.session, f"item-{item.pk}", lambda: actions.close_voting(request.user, item),
                   _("“%(title)s”表决结束，已计票。") % {"title": item.title})


@require_POST
@page
def advise_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = get(request, Item, pk, "change")
    form = forms.AdviseForm(request.POST, prefix=f"advise-{item.pk}")
    if form.is_valid():
        ok, _resolution = attempt(form, lambda: actions.close_advise_item(user, item, form.cleaned_data["summary"]))
        if ok:
            messages.success(request, _("已记录审议意见。"))
            return redirect(reverse("congress-session-manage", args=[item.session_id]) + f"#item-{item.pk}")
    return manage_page(request, item.session, status=400, advise_forms={item.pk: form})


@page
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = get(request, Item, pk, "change")
    term = item.session.term
    form = forms.CandidateForm(request.POST or None, people=employees(user, term.congress.enterprise),
                               search_url=reverse("congress-person-options", args=[term.pk]),
                               search=request.GET.get("q", ""))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, candidate = attempt(form, lambda: actions.add_candidate(user, item, data["person"], data["note"]))
        if ok:
            messages.success(request, _("已增加“%(name)s”。") % {"name": candidate.person.name})
            return redirect(reverse("congress-session-manage", args=[item.session_id]) + f"#item-{item.pk}")
    return render_page(request, "democracy/form.html", {
        "form": form, "title": _("增加候选人：%(title)s") % {"title": item.title},
        "back": reverse("congress-session-manage", args=[item.session_id]), "submit": _("增加"),
        "search_action": request.path, "candidates": item.candidates.select_related("person"),
    }, status=400 if form.errors else 200)


# --- Live room ---------------------------------------------------------------------------------

def current_item(session: Session) -> Item | None:
    """The item being voted on, else the one whose round closed last (its result stays up)."""
    voting = session.items.filter(status=Item.Status.VOTING).first()
    if voting is not None:
        return voting
    closed = session.items.filter(rounds__closed_at__isnull=False).order_by("-rounds__closed_at").first()
    return closed


def live_context(session: Session) -> dict:
    item = current_item(session)
    figures = queries.live_figures(item) if item is not None else None
    return {"session": session, "attendance": actions.attendance(session), "item": item, "live": figures,
            "names": dict(item.candidates.values_list("pk", "person__name")) if item is not None else {}}


@never_cache
@page
def live_room(request: HttpRequest, pk: int) -> HttpResponse:
    session = get(request, Session, pk)
    context = live_context(session)
    if session.check_in_code and session.status in (Session.Status.CONVENED, Session.Status.OPEN):
        context["check_in_url"] = check_in_url(request, session)
        context["qr"] = qr_svg(context["check_in_url"], scale=8)
    context["may_manage"] = may_manage(request.user, session.term.congress.enterprise)
    return render_page(request, "democracy/live.html", context)


@never_cache
@page
def attendance_partial(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat's live count of those checked in, polled while check-in is open."""
    session = get(request, Session, pk, "change")
    return render_page(request, "democracy/_attendance.html",
                       {"session": session, "attendance": actions.attendance(session)})


@never_cache
@page
def live_partial(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled every two seconds by the live room (htmx)."""
    session = get(request, Session, pk)
    return render_page(request, "democracy/_live_figures.html", live_context(session))
