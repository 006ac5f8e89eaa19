from django.urls import path

from zhigong.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_issue, name="token-issue"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
