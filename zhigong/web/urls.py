from django.urls import path

from zhigong.web import inbox_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_issue, name="token-issue"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("inbox/", inbox_views.inbox_list, name="inbox"),
    path("inbox/read/", inbox_views.inbox_read_all, name="inbox-read-all"),
    path("inbox/<int:pk>/open/", inbox_views.inbox_open, name="inbox-open"),
]
