"""Pages of 决策追踪, mounted under /tracking/ by zhigong/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
