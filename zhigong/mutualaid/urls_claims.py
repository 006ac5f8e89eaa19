"""Claim pages, added to zhigong/mutualaid/urls.py (mounted under /mutualaid/)."""

from django.urls import path

from zhigong.mutualaid import views_claims as views

urlpatterns = [
    path("claims/", views.mine, name="mutualaid-claims"),
    path("claims/new/", views.new, name="mutualaid-claims-new"),
    path("claims/queue/", views.queue, name="mutualaid-claims-queue"),
    path("claims/<int:pk>/", views.detail, name="mutualaid-claims-detail"),
    path("claims/<int:pk>/decide/", views.decide, name="mutualaid-claims-decide"),
    path("claims/<int:pk>/appeal/", views.appeal, name="mutualaid-claims-appeal"),
    path("claims/<int:pk>/documents/", views.add_document, name="mutualaid-claims-document-add"),
    path("claims/<int:pk>/documents/<int:document_id>/", views.document, name="mutualaid-claims-document"),
]
