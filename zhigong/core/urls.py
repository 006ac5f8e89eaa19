from django.contrib.auth import views as auth_views
from django.urls import path

from zhigong.core import views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("orgs/", views.org_list, name="org-list"),
    path("orgs/options/", views.org_options, name="org-options"),
    path("orgs/<int:pk>/", views.org_detail, name="org-detail"),
    path("orgs/<int:pk>/edit/", views.org_edit, name="org-edit"),
    path("orgs/<int:pk>/move/", views.org_move, name="org-move"),
    path("orgs/<int:pk>/profit/", views.org_profit, name="org-profit"),
    path("orgs/<int:pk>/new/<str:kind>/", views.org_create, name="org-create"),
    path("orgs/<int:org_pk>/people/new/", views.person_create, name="person-create"),
    path("people/", views.person_list, name="person-list"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person-reveal"),
    path("people/<int:pk>/employment/new/", views.employment_start, name="employment-start"),
    path("people/<int:pk>/employment/<int:job_pk>/end/", views.employment_end, name="employment-end"),
    path("people/<int:pk>/membership/new/", views.membership_join, name="membership-join"),
    path("people/<int:pk>/membership/<int:member_pk>/leave/", views.membership_leave,
         name="membership-leave"),
    path("people/<int:pk>/membership/<int:member_pk>/transfer/", views.membership_transfer,
         name="membership-transfer"),
]
