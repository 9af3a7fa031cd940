from django.urls import reverse

from brobygger.accounts import twofactor
from brobygger.accounts.navigation import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    # No menu until the login is complete: its links would only lead back to the second-factor page.
    if user is None or not user.is_authenticated or not twofactor.is_satisfied(request):
        return {"nav_items": []}
    current = request.resolver_match.url_name if request.resolver_match else None
    return {
        "nav_items": [
            {"url": reverse(item.url_name), "label": item.label, "current": item.url_name == current}
            for item in navigation_for(user.role)
        ]
    }
