"""One place every read of personal data passes through: the access log is written here, not in each view.

The owning apps' ``get_<object>_for_user`` helpers and list pages mark what they hand out (``note_read``); this
middleware writes one access-log row per person per successful response. A new page or endpoint that fetches a
person the only allowed way is logged without doing anything.
"""

from brobygger.audit.services import reads_of_request


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with reads_of_request(actor=getattr(request, "user", None), path=request.path) as write:
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            api = bool(match and match.namespace.startswith("api"))
            write(200 <= response.status_code < 300, api=api)
        return response
