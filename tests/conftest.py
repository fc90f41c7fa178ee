pytest_plugins = ["tests.fixtures.services", "tests.fixtures.database", "tests.fixtures.worker"]
