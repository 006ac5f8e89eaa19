from zhigong.core import policy


def navigation(request):
    user = getattr(request, "user", None)
    return {"is_platform_admin": bool(user and policy.is_platform_admin(user))}
