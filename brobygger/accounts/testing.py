"""A test client for the suite and the benchmarks (brobygger/bench)."""

from django.test import Client

from brobygger.accounts import twofactor


class LoggedInClient(Client):
    """``force_login`` skips the password, so here it skips the second factor too: the session is past login.

    Tests of the login itself post to the login and second-factor pages like a person would.
    """

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        session = self.session
        twofactor.mark_passed_in(session, "test")
        session.save()
