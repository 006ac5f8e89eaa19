"""Chinese first: the platform speaks Chinese unless the user picked English with the language
switch (the django_language cookie set by /i18n/setlang/). Browsers' Accept-Language is not
consulted: a worker's phone or a headless browser set to English would otherwise land on an
English page that nobody in the union office chose."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_request(self, request) -> None:
        accept = request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        try:
            super().process_request(request)
        finally:
            if accept is not None:
                request.META["HTTP_ACCEPT_LANGUAGE"] = accept


def strip_null_characters(get_response):
    """A NUL character in a query string (a search box's ?q=%00) reached the database, which
    refuses text containing it (PostgreSQL: a 500). Nobody types one: it is dropped from every
    query parameter before a view sees them. Forms refuse it themselves (Django's CharField),
    and the API answers it with a 422 (zhigong.api_guards)."""

    def middleware(request):
        if "%00" in request.META.get("QUERY_STRING", ""):  # a NUL can only come percent-encoded
            clean = request.GET.copy()
            for key in list(clean):
                clean.setlist(key, [v.replace("\x00", "") for v in clean.getlist(key)])
            clean._mutable = False
            request.GET = clean
        return get_response(request)

    return middleware
