"""Tamper-evident trail. Use `from zhigong.trail import record`."""


def record(*args, **kwargs):
    from zhigong.trail.actions import record as _record

    return _record(*args, **kwargs)
