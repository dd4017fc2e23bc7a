from tests.bekwaamheid.helpers import world  # noqa: F401 - the fixture
