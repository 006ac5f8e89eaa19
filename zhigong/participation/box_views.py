"""Pages of the anonymous suggestion box (意见箱).

The public pages (drop a message, read the answer with the follow-up code, the board of public
answers) serve anyone, logged in or not, and must not link a message to its sender:
- they never read request.user or the session: templates are rendered WITHOUT the request, so
  no context processor runs (public_page); nothing is written to the messages framework;
- the only cookie is Django's CSRF cookie, a random value tied to no identity;
- the client address goes to actions.drop_message only, which feeds a short-lived keyed counter;
- nothing is logged here, and the request log skips /box/ (zhigong/logging_filters.py,
  zhigong/gunicorn_logging.py); form errors answer 200 so that Django does not log them either.

The management pages (set up the box, the inbox, answers) are ordinary logged-in pages."""

import uuid
from datetime import date

import segno
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from zhigong.core import policy
from zhigong.core.errors import DomainError, NotFound
from zhigong.core.models import Organization
from zhigong.core.views import page
from zhigong.participation import actions, forms, queries
from zhigong.participation.models import BoxMessage, BoxSettings
from zhigong.participation.suggestion_views import employers, managed_enterprises
from zhigong.participation.views import attempt

NAV = {"nav_section": "box"}


# --- The public side: no user, no session, no log ---------------------------------------------

def public_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """Render without the request, so that no context processor reads the user or the session;
    the CSRF token is the one thing taken from the request."""
    html = render_to_string(template, {**context, "csrf_token": get_token(request), "public": True})
    response = HttpResponse(html, status=status)
    # The follow-up code must not stay in a cache. (No "Referrer-Policy: no-referrer" here: the
    # browser would then send "Origin: null" with the form, and Django's CSRF check refuses it.)
    response["Cache-Control"] = "no-store"
    return response


def find_box(slug: str) -> BoxSettings | None:
    return BoxSettings.objects.filter(slug=slug).select_related("enterprise").first()


def missing(request: HttpRequest) -> HttpResponse:
    return public_page(request, "participation/box_missing.html", {}, status=404)


def _drop(box: BoxSettings, data: dict, client_address: str) -> tuple[BoxMessage, str]:
    return actions.drop_message(box, data["text"], data["category"], data["consent_public"], data["photos"],
                                client_address)


@require_http_methods(["GET", "POST"])
@csrf_protect
def drop(request: HttpRequest, slug: str) -> HttpResponse:
    box = find_box(slug)
    if box is None:
        return missing(request)
    form = forms.DropForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ok, result = attempt(form, lambda: _drop(box, form.cleaned_data, request.META.get("REMOTE_ADDR", "")))
        if ok:
            message, code = result
            return public_page(request, "participation/box_code.html", {
                "box": box, "code": code, "due_on": message.due_on})
    limits = actions.box_limits(box)
    return public_page(request, "participation/box_drop.html", {"box": box, "form": form, "limits": limits})


def _thread(request: HttpRequest, message: BoxMessage, code: str, reply_form=None, note: str = "") -> HttpResponse:
    return public_page(request, "participation/box_thread.html", {
        "message": message, "box": message.box, "replies": message.replies.all(), "note": note,
        "form": reply_form or forms.SenderReplyForm(initial={"code": code}),
    })


@require_http_methods(["GET", "POST"])
@csrf_protect
def follow_up(request: HttpRequest) -> HttpResponse:
    """The code travels in a POST body only: in a URL it would sit in histories and logs."""
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        ok, message = attempt(form, lambda: actions.read_thread(code))
        if ok:
            return _thread(request, message, code)
    return public_page(request, "participation/box_follow_up.html", {"form": form})


@require_POST
@csrf_protect
def follow_up_reply(request: HttpRequest) -> HttpResponse:
    form = forms.SenderReplyForm(request.POST)
    code = request.POST.get("code", "")
    try:
        message = actions.read_thread(code)
    except DomainError as exc:
        lookup = forms.CodeForm({"code": code})
        lookup.is_valid()
        lookup.add_error("code", str(exc.message))
        return public_page(request, "participation/box_follow_up.html", {"form": lookup})
    if form.is_valid():
        ok, _reply = attempt(form, lambda: actions.sender_reply(code, form.cleaned_data["text"]))
        if ok:
            message.refresh_from_db()
            return _thread(request, message, code, note=_("已收到您的留言，企业会再次答复。"))
    return _thread(request, message, code, reply_form=form)


@require_http_methods(["GET"])
def answers(request: HttpRequest, slug: str) -> HttpResponse:
    box = find_box(slug)
    if box is None:
        return missing(request)
    return public_page(request, "participation/box_answers.html", {
        "box": box, "rows": queries.public_board(box)[:200]})


# --- Management: set up, inbox, answers ----------------------------------------------------------

def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {**NAV, **context}, status=status)


def public_url(request: HttpRequest, box: BoxSettings) -> str:
    return request.build_absolute_uri(reverse("box-drop", args=[box.slug]))


@page
def index(request: HttpRequest) -> HttpResponse:
    """A worker finds their enterprise's box; management finds the boxes it answers."""
    user = request.user
    boxes = BoxSettings.objects.filter(enterprise__in=[e.pk for e in employers(user)]).select_related("enterprise")
    managed = managed_enterprises(user)
    have = dict(BoxSettings.objects.filter(enterprise__in=[e.pk for e in managed]).values_list("enterprise_id", "slug"))
    return render_page(request, "participation/box_index.html", {
        "boxes": boxes, "managed": [(org, have.get(org.pk)) for org in managed]})


def _enterprise(request: HttpRequest, org_pk: int) -> Organization:
    enterprise = policy.access_organization(request.user, org_pk, "change")
    if enterprise.kind != Organization.Kind.ENTERPRISE:
        raise Http404
    return enterprise


def age_days(message: BoxMessage, today: date) -> int:
    return (today - message.received_on).days


@page
def manage(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The enterprise's box: its public link and QR code, the open messages with their age
    (overdue flagged) and the answered ones."""
    user = request.user
    enterprise = _enterprise(request, org_pk)
    box = BoxSettings.objects.filter(enterprise=enterprise).first()
    form = forms.BoxSetupForm(request.POST or None, initial={"answer_days": box.answer_days if box else 15})
    if request.method == "POST" and form.is_valid():
        ok, box = attempt(form, lambda: actions.open_box(user, enterprise, form.cleaned_data["answer_days"]))
        if ok:
            messages.success(request, _("意见箱已设置。"))
            return redirect("box-manage", org_pk=enterprise.pk)
        box = BoxSettings.objects.filter(enterprise=enterprise).first()
    context = {"enterprise": enterprise, "box": box, "form": form}
    if box is not None:
        context.update(_inbox(request, box))
    return render_page(request, "participation/box_manage.html", context)


def _inbox(request: HttpRequest, box: BoxSettings) -> dict:
    today = timezone.localdate()
    messages_ = queries.visible(request.user, BoxMessage).filter(box=box)
    open_rows = list(messages_.filter(state=BoxMessage.State.OPEN).order_by("due_on", "received_on")[:200])
    for message in open_rows:
        message.age = age_days(message, today)
        message.overdue = message.due_on < today
    url = public_url(request, box)
    return {
        "public_url": url, "qr_svg": segno.make(url, error="m").svg_inline(scale=4, dark="#1f2328"),
        "answers_url": request.build_absolute_uri(reverse("box-answers", args=[box.slug])),
        "overview": queries.box_overview(request.user, box, today), "open_rows": open_rows,
        "answered": messages_.filter(state=BoxMessage.State.ANSWERED).order_by("-answered_on")[:50],
    }


def access_message(request: HttpRequest, message_id: uuid.UUID) -> BoxMessage:
    """A message of a box the user answers for; 404 to anyone else (even a worker of the
    enterprise, who may see the public board only)."""
    message = (queries.visible(request.user, BoxMessage).filter(pk=message_id)
               .select_related("box__enterprise").first())
    if message is None or not policy.may_organization(request.user, "change", message.box.enterprise):
        raise NotFound("box_message")
    return message


def _message_page(request: HttpRequest, message: BoxMessage, form=None) -> HttpResponse:
    today = timezone.localdate()
    message.age = age_days(message, today)
    message.overdue = message.state == BoxMessage.State.OPEN and message.due_on < today
    return render_page(request, "participation/box_message.html", {
        "message": message, "replies": message.replies.all(), "photos": message.photos.all(),
        "form": form or forms.BoxAnswerForm(initial={"public": message.public}),
    })


@page
def message_detail(request: HttpRequest, message_id: uuid.UUID) -> HttpResponse:
    message = access_message(request, message_id)
    form = forms.BoxAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _m = attempt(form, lambda: actions.answer_message(request.user, message, data["answer"], data["public"]))
        if ok:
            messages.success(request, _("答复已发出，留言人可凭查询码查看。"))
            return redirect("box-manage", org_pk=message.box.enterprise_id)
    return _message_page(request, message, form)


@require_POST
@page
def message_public(request: HttpRequest, message_id: uuid.UUID) -> HttpResponse:
    message = access_message(request, message_id)
    public = request.POST.get("public") == "1"
    try:
        actions.set_public(request.user, message, public)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已在答复公开栏展示。") if public else _("已从答复公开栏撤下。"))
    return redirect("box-message", message_id=message.pk)


@page
def photo(request: HttpRequest, photo_id: uuid.UUID) -> HttpResponse:
    """Photos only to those who answer the box; re-encoded on upload, so they carry no EXIF."""
    from zhigong.participation.models import BoxPhoto

    row = BoxPhoto.objects.filter(pk=photo_id).select_related("message__box__enterprise").first()
    if row is None:
        raise Http404
    access_message(request, row.message_id)
    data = row.file.open("rb").read()
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return HttpResponse(data, content_type=kind)
