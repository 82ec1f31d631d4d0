"""The test suite, laid out like the packages it tests: tests/mcda/, tests/optimisation/, tests/fulcrum/,
tests/app/ (AppTest, browser, serving), tests/datasets/, plus tests/golden/ and tests/hostile/;
helpers shared across them live in tests/support/."""
