"""Schema-driven fuzzing of the whole API (schemathesis): every operation of /api/v1/schema/, a bounded
number of generated requests each, with a clerk's token over a program with records. No response is a
server error, and every response with a documented schema matches it."""

import pytest
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import make_project, make_transaction
from yuanjiang.api.models import ApiToken
from yuanjiang.config.wsgi import application

EXAMPLES = 4  # per operation; about 150 operations


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI application as Django's test client runs it: no closing of the database connection at
    the end of a request (the test's transaction lives on it; on PostgreSQL a close would end it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(program, clerk):
    for n in range(3):
        make_transaction(make_project(program, n), "disbursement", "10")
    return ApiToken.issue(clerk, "fuzz")[1]


def _checker(operation, headers, failures, statuses):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        try:
            response = case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )
        except Exception as exc:  # collect, so one run reports every failing operation
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
            raise
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    return check


def test_fuzz_every_operation(token, wsgi_in_test_transaction):
    import schemathesis

    headers = {"Authorization": f"Token {token}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", wsgi_in_test_transaction, headers=headers
    )
    failures: list[str] = []
    statuses: dict[int, int] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        check = _checker(operation, headers, failures, statuses)
        try:
            check()
        except Exception as exc:
            if not failures or operation.path not in failures[-1]:
                failures.append(
                    f"{operation.method.upper()} {operation.path}: {type(exc).__name__}: {exc}"[:700]
                )
    assert not failures, "\n".join(failures[:20])
    print(
        "API fuzz:", operations, "operations,", sum(statuses.values()), "responses", sorted(statuses.items())
    )
    assert operations >= 100
    assert statuses.get(200, 0) >= operations // 3  # the lists and reads really answered
