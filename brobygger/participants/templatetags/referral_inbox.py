"""The count of undecided referrals, for the links to the inbox on the home page and the caseload.

A template tag, so the home page (accounts) can show it without accounts importing participants."""

from django import template

from brobygger.participants import access

register = template.Library()


@register.simple_tag
def pending_referral_count(user) -> int:
    return access.inbox_referrals(user).count()
