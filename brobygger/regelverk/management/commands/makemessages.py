"""``makemessages`` that also extracts the rules' reason templates.

The rules are pure Python and never call gettext: their reasons are ``rules.base.Text("Fristen gikk ut {day}.", ...)``
and are translated when shown (``regelverk.services.reason_text``). Without ``Text`` as a keyword, xgettext does not
see those templates and marks their translations obsolete on every run.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=Text"]
