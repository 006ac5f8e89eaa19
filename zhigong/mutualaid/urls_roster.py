"""Roster pages, added to zhigong/mutualaid/urls.py (mounted under /mutualaid/)."""

from django.urls import path

from zhigong.mutualaid import views_roster as views

urlpatterns = [
    path("roster/", views.index, name="aid-roster"),
    path("roster/enterprises/<int:pk>/", views.enterprise, name="aid-roster-enterprise"),
    path("roster/enterprises/<int:pk>/template.xlsx", views.template, name="aid-roster-template"),
    path("roster/enterprises/<int:pk>/roster.xlsx", views.export, name="aid-roster-export"),
    path("roster/enterprises/<int:pk>/upload/", views.upload, name="aid-roster-upload-new"),
    path("roster/enterprises/<int:pk>/members/", views.members, name="aid-roster-members"),
    path("roster/uploads/<int:pk>/", views.upload_detail, name="aid-roster-upload"),
    path("roster/uploads/<int:pk>/errors.xlsx", views.error_report, name="aid-roster-errors"),
    path("roster/uploads/<int:pk>/discard/", views.discard, name="aid-roster-discard"),
    path("roster/enrolments/<int:pk>/", views.enrolment, name="aid-roster-enrolment"),
    path("roster/enrolments/<int:pk>/renew/", views.renew, name="aid-roster-renew"),
    path("roster/coverages/<int:pk>/", views.coverage, name="aid-roster-coverage"),
]
