from brobygger.grants.tests.fixtures import *  # noqa: F403 (the grants fixtures, shared with the API tests)
from brobygger.grants.tests.payment_fixtures import bank_account, commitment, granted_decision  # noqa: F401
