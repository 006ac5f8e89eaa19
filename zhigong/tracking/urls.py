"""Pages of 决策追踪, mounted under /tracking/ by zhigong/urls.py."""

from django.urls import path

from zhigong.tracking import views

urlpatterns = [
    path("", views.index, name="tracking-index"),
    path("enterprises/<int:pk>/", views.overview, name="tracking-overview"),
    path("enterprises/<int:pk>/proposals/", views.proposals, name="tracking-proposals"),
    path("enterprises/<int:pk>/import/", views.import_progress, name="tracking-import"),
    path("enterprises/<int:pk>/template.xlsx", views.template_download, name="tracking-template"),
    path("enterprises/<int:pk>/import/proposals/", views.import_proposals, name="tracking-import-proposals"),
    path("enterprises/<int:pk>/proposals-template.xlsx", views.proposal_template_download,
         name="tracking-proposal-template"),
    path("enterprises/<int:pk>/import/report/<str:key>.xlsx", views.import_report, name="tracking-import-report"),
    path("resolutions/<int:pk>/", views.resolution_detail, name="tracking-resolution"),
    path("resolutions/<int:pk>/plan/", views.plan_set, name="tracking-plan"),
    path("resolutions/<int:pk>/measures/new/", views.measure_add, name="tracking-measure-add"),
    path("measures/<int:pk>/progress/", views.measure_progress, name="tracking-progress"),
    path("evidence/<int:pk>/", views.evidence_file, name="tracking-evidence"),
    path("proposals/<int:pk>/", views.proposal_detail, name="tracking-proposal"),
]
