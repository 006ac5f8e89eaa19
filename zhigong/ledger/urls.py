"""Pages of 复式记账, mounted under /ledger/ by zhigong/urls.py."""

from django.urls import path

from zhigong.ledger import views

urlpatterns = [
    path("", views.index, name="ledger-index"),
    path("books/<int:pk>/", views.book, name="ledger-book"),
    path("books/<int:pk>/trial/", views.trial, name="ledger-trial"),
    path("books/<int:pk>/entries/", views.entries, name="ledger-entries"),
    path("books/<int:pk>/close/", views.close, name="ledger-close"),
    path("entries/<int:pk>/", views.entry, name="ledger-entry"),
    path("entries/<int:pk>/reverse/", views.reverse, name="ledger-reverse"),
    path("organizations/<int:org_pk>/statement/", views.enterprise_statement, name="ledger-org-statement"),
    path("people/<int:person_pk>/statement/", views.worker_statement, name="ledger-person-statement"),
]
