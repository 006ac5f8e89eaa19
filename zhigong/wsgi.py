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
