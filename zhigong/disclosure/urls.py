"""Pages of 厂务公开, mounted under /disclosure/ by zhigong/urls.py."""

from django.urls import path

from zhigong.disclosure import views

urlpatterns = [
    path("", views.index, name="disclosure-index"),
    path("enterprise/<int:org_pk>/", views.enterprise, name="disclosure-enterprise"),
    path("enterprise/<int:org_pk>/catalogue/", views.catalogue, name="disclosure-catalogue"),
    path("enterprise/<int:org_pk>/calendar/", views.calendar, name="disclosure-calendar"),
    path("enterprise/<int:org_pk>/compliance/", views.compliance, name="disclosure-compliance"),
    path("enterprise/<int:org_pk>/publish/", views.publish, name="disclosure-publish"),
    path("matters/<int:pk>/department/", views.matter_department, name="disclosure-matter-department"),
    path("p/<int:pk>/", views.publication, name="disclosure-publication"),
    path("p/<int:pk>/acknowledge/", views.acknowledge, name="disclosure-acknowledge"),
    path("p/<int:pk>/ask/", views.ask, name="disclosure-ask"),
    path("p/<int:pk>/correct/", views.correct, name="disclosure-correct"),
    path("p/<int:pk>/files/<int:file_pk>/", views.download, name="disclosure-file"),
    path("questions/", views.question_queue, name="disclosure-questions"),
    path("questions/<int:pk>/", views.question, name="disclosure-question"),
    path("federation/<int:org_pk>/", views.federation, name="disclosure-federation"),
]
