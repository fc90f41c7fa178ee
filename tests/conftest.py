pytest_plugins = ["tests.fixtures.services", "tests.fixtures.database", "tests.fixtures.worker",
                  "tests.fixtures.api_pages"]
