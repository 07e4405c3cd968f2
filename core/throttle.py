"""A fixed-window counter in the cache: how a page refuses a flood of requests from one source.

The public pages count by address (portal: sign-in codes, join applications); the member form
counts each officer's checks of ID numbers against the whole roster (members.services). The cache
is Redis in production (shared by every app server) and local memory otherwise.
"""

from django.core.cache import cache

from core import audit


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """Count one more use of ``key``; False once it has been used ``limit`` times in the window."""
    key = f"throttle:{key}"
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
