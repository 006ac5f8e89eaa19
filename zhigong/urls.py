from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from zhigong.api import api
from zhigong.democracy import api_ballot
from zhigong.participation import urls as voice_urls
from zhigong.web import views as web_views

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    # Ballots come in by the thousand at once: a plain view takes the common case before ninja's
    # patterns are searched (democracy/api_ballot.py); the ninja operation documents it.
    path("api/v1/congress/items/<int:item_id>/ballots", api_ballot.cast_ballot),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("zhigong.web.urls")),
    path("", include("zhigong.core.urls")),
    path("congress/", include("zhigong.democracy.urls")),
    path("proposals/", include(voice_urls.proposals)),
    path("suggestions/", include(voice_urls.suggestions)),
    path("box/", include(voice_urls.box)),
    path("disclosure/", include("zhigong.disclosure.urls")),
    path("tracking/", include("zhigong.tracking.urls")),
    path("evaluation/", include("zhigong.evaluation.urls")),
    path("ledger/", include("zhigong.ledger.urls")),
    path("mutualaid/", include("zhigong.mutualaid.urls")),  # the request logs skip /box/ (gunicorn_logging.py)
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

__all__ = ["urlpatterns", "i18n_patterns"]
