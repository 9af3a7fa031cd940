"""Who may carry out the data protection duties: the system administrator, on behalf of the data controller."""

from django.utils.translation import gettext as _

from brobygger.accounts.access import Decision
from brobygger.accounts.models import Role, User


def can_carry_out_privacy_duties(user: User) -> Decision:
    if user.is_authenticated and user.role == Role.SYSTEM_ADMINISTRATOR:
        return True, ""
    return False, _("Bare systemadministratorer lager innsynsrapporter og kjører sletting etter lagringstiden.")
