"""Pages of 三位一体评价, mounted under /evaluation/ by zhigong/urls.py."""

from django.urls import path

from zhigong.evaluation import views

urlpatterns = [
    path("", views.index, name="evaluation-index"),
    path("federations/<int:pk>/<int:year>/", views.federation, name="evaluation-federation"),
    path("federations/<int:pk>/<int:year>/compute/", views.federation_compute, name="evaluation-federation-compute"),
    path("federations/<int:pk>/<int:year>/report/", views.federation_report, name="evaluation-federation-report"),
    path("federations/<int:pk>/<int:year>/report.pdf", views.federation_pdf, name="evaluation-federation-pdf"),
    path("enterprises/<int:pk>/<int:year>/", views.enterprise, name="evaluation-enterprise"),
    path("enterprises/<int:pk>/<int:year>/compute/", views.enterprise_compute, name="evaluation-enterprise-compute"),
    path("enterprises/<int:pk>/<int:year>/survey/", views.survey_open, name="evaluation-survey-open"),
    path("enterprises/<int:pk>/<int:year>/report/", views.enterprise_report, name="evaluation-enterprise-report"),
    path("enterprises/<int:pk>/<int:year>/report.pdf", views.enterprise_pdf, name="evaluation-enterprise-pdf"),
    path("surveys/<int:pk>/", views.survey, name="evaluation-survey"),
    path("surveys/<int:pk>/close/", views.survey_close, name="evaluation-survey-close"),
]
