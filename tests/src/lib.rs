//! Xueji's test suite: HTTP integration tests in `tests/http/`, browser journeys in `e2e/`.
