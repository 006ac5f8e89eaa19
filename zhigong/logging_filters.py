"""Log filters. The suggestion box promises that nothing in the logs names a sender, so
request lines and request warnings for its paths are dropped."""

import logging

from zhigong.gunicorn_logging import ANONYMOUS_PREFIXES


class SkipAnonymousChannels(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", "") or ""
        if not path and record.args:
            path = " ".join(str(a) for a in (record.args if isinstance(record.args, tuple) else ()))
        return not any(prefix in path for prefix in ANONYMOUS_PREFIXES)
