"""The client's address, as the trusted reverse proxies in front of Brobygger saw it.

Lockout (django-axes), the login rate limit and the API rate limit all key on this one function. Behind
``TRUSTED_PROXY_COUNT`` proxies, each appends the address it received from to X-Forwarded-For and the last one is
REMOTE_ADDR; the client is the address the outermost trusted proxy saw. Anything further left was written by the
client and is ignored, so a forged header cannot pick someone else's address.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    chain = [*forwarded, remote]
    if len(chain) <= count:
        # Fewer hops than trusted proxies: the request did not come through them all, so trust only the socket.
        return remote
    candidate = chain[-(count + 1)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
