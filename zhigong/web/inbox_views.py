"""The inbox page: the user's notifications, newest first, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhigong.web import inbox

PAGE_SIZE = 20


@login_required
def inbox_list(request: HttpRequest) -> HttpResponse:
    rows = inbox.notifications(request.user).order_by("-created_at", "-id")
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/inbox.html", {"page_obj": page_obj})


@require_POST
@login_required
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    inbox.mark_read(request.user)
    return redirect("inbox")


@require_POST
@login_required
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and follow its link (a path of this site only)."""
    note = inbox.notifications(request.user).filter(pk=pk).first()
    if note is None:
        raise Http404
    inbox.mark_read(request.user, [note.pk])
    if note.link and url_has_allowed_host_and_scheme(note.link, allowed_hosts={request.get_host()}):
        return redirect(note.link)
    return redirect("inbox")
