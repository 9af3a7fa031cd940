# The pathway's fixtures: a participant with a referral, a started period, a plan and an employer.
from brobygger.participants.tests.conftest import employer, participant, period, plan, referral  # noqa: F401
