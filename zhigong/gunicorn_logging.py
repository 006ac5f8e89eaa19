"""Gunicorn's access log, minus the anonymous channels: a line with the sender's address and
the time would undo the suggestion box's promise (participation/models.py)."""

from gunicorn.glogging import Logger

ANONYMOUS_PREFIXES = ("/api/v1/box/", "/box/")


class AccessLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO", "").startswith(ANONYMOUS_PREFIXES):
            return
        super().access(resp, req, environ, request_time)
