"""Pages of 职工互助互济, mounted under /mutualaid/ by zhigong/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
