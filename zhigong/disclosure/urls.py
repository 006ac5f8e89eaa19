"""Pages of 厂务公开, mounted under /disclosure/ by zhigong/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
