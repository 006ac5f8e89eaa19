"""Pages of the congress, mounted under /congress/."""

from django.urls import path

from zhigong.democracy import delegate_views as delegate
from zhigong.democracy import session_views as sessions
from zhigong.democracy import views

urlpatterns = [
    path("", views.index, name="congress-index"),
    path("mine/", views.my_sessions, name="congress-mine"),
    path("new/<int:org_pk>/", views.congress_create, name="congress-create"),
    path("<int:pk>/", views.congress_detail, name="congress-detail"),
    path("<int:pk>/terms/new/", views.term_start, name="congress-term-start"),
    path("<int:pk>/governance/", views.governance_set, name="congress-governance"),
    # Terms, constituencies, delegates, committees
    path("terms/<int:pk>/", views.term_detail, name="congress-term"),
    path("terms/<int:pk>/constituencies/new/", views.constituency_add, name="congress-constituency-add"),
    path("terms/<int:pk>/committees/new/", views.committee_add, name="congress-committee-add"),
    path("terms/<int:pk>/interim/", views.interim_request, name="congress-interim"),
    path("terms/<int:pk>/people/", views.person_options, name="congress-person-options"),
    path("terms/<int:pk>/delegates/new/", views.delegate_elect, name="congress-delegate-elect"),
    path("terms/<int:pk>/sessions/new/", sessions.session_schedule, name="congress-session-schedule"),
    path("delegates/<int:pk>/recall/", views.delegate_recall, name="congress-delegate-recall"),
    path("delegates/<int:pk>/by-election/", views.delegate_by_election, name="congress-delegate-by-election"),
    # Running a session
    path("sessions/<int:pk>/manage/", sessions.session_manage, name="congress-session-manage"),
    path("sessions/<int:pk>/items/new/", sessions.item_add, name="congress-item-add"),
    path("sessions/<int:pk>/attendees/new/", sessions.attendee_add, name="congress-attendee-add"),
    path("sessions/<int:pk>/documents/new/", sessions.document_upload, name="congress-document-upload"),
    path("sessions/<int:pk>/check-in/secretariat/", sessions.secretariat_check_in, name="congress-check-in-for"),
    path("sessions/<int:pk>/convene/", sessions.session_convene, name="congress-session-convene"),
    path("sessions/<int:pk>/open/", sessions.session_open, name="congress-session-open"),
    path("sessions/<int:pk>/close/", sessions.session_close, name="congress-session-close"),
    path("sessions/<int:pk>/attendance/", sessions.attendance_partial, name="congress-attendance"),
    path("sessions/<int:pk>/live/", sessions.live_room, name="congress-live"),
    path("sessions/<int:pk>/live/figures/", sessions.live_partial, name="congress-live-figures"),
    path("items/<int:pk>/candidates/new/", sessions.candidate_add, name="congress-candidate-add"),
    path("items/<int:pk>/open/", sessions.voting_open, name="congress-voting-open"),
    path("items/<int:pk>/close/", sessions.voting_close, name="congress-voting-close"),
    path("items/<int:pk>/advise/", sessions.advise_close, name="congress-advise"),
    # Delegates and the public record
    path("sessions/<int:pk>/", delegate.session_detail, name="congress-session"),
    path("sessions/<int:pk>/check-in/", delegate.check_in, name="congress-check-in"),
    path("items/<int:pk>/vote/", delegate.vote, name="congress-vote"),
    path("items/<int:pk>/bulletin/", delegate.bulletin, name="congress-bulletin"),
    path("resolutions/<int:pk>/", delegate.resolution_detail, name="congress-resolution"),
    path("resolutions/<int:pk>/pdf/", delegate.resolution_pdf, name="congress-resolution-pdf"),
    path("documents/<int:pk>/", delegate.document_download, name="congress-document"),
]
