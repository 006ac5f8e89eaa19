import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhigong.settings")
application = get_wsgi_application()

# Load the URLconf, and with it every app's views and API and what they import (scikit-learn
# and SciPy for similar proposals), while the worker boots rather than in the first request it
# serves: under load that first request took seconds (make bench, bench_congress).
import_module(settings.ROOT_URLCONF)

# Everything loaded so far lives as long as the process: move it out of the collector's way
# (gc.freeze), so that a full collection walks only what requests made since, not the ~250,000
# objects of Django, the apps and their libraries (130 ms a full collection before, make bench
# bench_pages; see docs/scaling.md).
import gc  # noqa: E402

gc.freeze()
