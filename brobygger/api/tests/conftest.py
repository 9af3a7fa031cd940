from brobygger.grants.tests.fixtures import *  # noqa: F403 (the grants fixtures, shared with the API tests)
