"""Pages of workers' voice, in three lists mounted by zhigong/urls.py: proposals under
/proposals/, suggestions under /suggestions/, and the suggestion box under /box/ (a prefix the
request logs skip, see zhigong/gunicorn_logging.py)."""

from django.urls import path

from zhigong.participation import box_views as box_pages
from zhigong.participation import suggestion_views as suggestion_pages
from zhigong.participation import views

proposals = [
    path("", views.index, name="voice-proposals"),
    path("new/", views.proposal_new, name="voice-proposal-new"),
    path("similar/", views.similar, name="voice-similar"),
    path("search/", views.search, name="voice-search"),
    path("queue/", views.queue, name="voice-queue"),
    path("board/", views.board_index, name="voice-board-index"),
    path("board/<int:pk>/", views.board, name="voice-board"),
    path("<int:pk>/", views.proposal_detail, name="voice-proposal"),
    path("<int:pk>/edit/", views.proposal_edit, name="voice-proposal-edit"),
    path("<int:pk>/files/<int:file_pk>/", views.proposal_file, name="voice-proposal-file"),
    path("<int:pk>/<slug:verb>/", views.proposal_act, name="voice-proposal-act"),
]

suggestions = [
    path("", suggestion_pages.index, name="voice-suggestions"),
    path("new/", suggestion_pages.suggestion_new, name="voice-suggestion-new"),
    path("enterprise/<int:org_pk>/", suggestion_pages.enterprise_list, name="voice-suggestion-list"),
    path("stats/<int:org_pk>/", suggestion_pages.stats, name="voice-suggestion-stats"),
    path("<int:pk>/", suggestion_pages.suggestion_detail, name="voice-suggestion"),
    path("<int:pk>/<slug:verb>/", suggestion_pages.suggestion_act, name="voice-suggestion-act"),
]

# Fixed words first: a box's slug is 12 characters, so it never equals one of them.
box = [
    path("", box_pages.index, name="box-index"),
    path("follow-up/", box_pages.follow_up, name="box-follow-up"),
    path("follow-up/reply/", box_pages.follow_up_reply, name="box-follow-up-reply"),
    path("manage/<int:org_pk>/", box_pages.manage, name="box-manage"),
    path("manage/messages/<uuid:message_id>/", box_pages.message_detail, name="box-message"),
    path("manage/messages/<uuid:message_id>/public/", box_pages.message_public, name="box-message-public"),
    path("manage/photos/<uuid:photo_id>/", box_pages.photo, name="box-photo"),
    path("<str:slug>/", box_pages.drop, name="box-drop"),
    path("<str:slug>/answers/", box_pages.answers, name="box-answers"),
]
