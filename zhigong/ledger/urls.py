"""Pages of 复式记账, mounted under /ledger/ by zhigong/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
