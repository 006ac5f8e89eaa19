"""Pages of 三位一体评价, mounted under /evaluation/ by zhigong/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
