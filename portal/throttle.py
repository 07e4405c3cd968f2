"""A fixed-window counter in the cache: how public pages refuse a flood from one address.

The cache is Redis in production (shared by every app server) and local memory otherwise.
"""

from django.core.cache import cache

from core import audit


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """Count one more use of ``key``; False once it has been used ``limit`` times in the window."""
    key = f"portal-throttle:{key}"
    if cache.add(key, 1, timeout=seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return True
    return count <= limit


def client_ip(request) -> str:
    """The client's address, through the proxy-aware reader the login lock-out uses too."""
    return audit.client_ip(request) or ""
