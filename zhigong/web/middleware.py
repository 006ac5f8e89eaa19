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
