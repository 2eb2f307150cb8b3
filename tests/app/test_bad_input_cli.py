"""An operator's bad argument ends a command with a message (click's usage error or the service's
Vietnamese refusal), never an unhandled exception's traceback; on SQLite and PostgreSQL alike."""
from __future__ import annotations

import pytest
from factories import WEB_ORG, make_org


@pytest.fixture
def org(session):
    return make_org(session, **WEB_ORG)


def run(app, *args):
    return app.test_cli_runner().invoke(args=["dvflow", *args])


def handled(result) -> bool:
    return result.exception is None or isinstance(result.exception, SystemExit)


def refused(result, *words: str) -> None:
    """Ended with a non-zero exit code and a one-line Vietnamese message saying why (no traceback)."""
    assert handled(result), repr(result.exception)
    assert result.exit_code != 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert all(w in lines[0] for w in words), result.output


def test_cli_calendar_set_on_the_first_day_of_year_1_says_why(app, org):
    """An operator's typo (0001 for 2001) must end in a message, not a traceback (OverflowError)."""
    result = run(app, "calendar", "set", "0001-01-01", "off")
    refused(result, "Ngày", "từ năm 2000 đến năm 2100")


@pytest.mark.parametrize("year", ["10000", "0", "99999999999999999999"])
def test_cli_calendar_list_year_out_of_range_says_why(app, org, year):
    result = run(app, "calendar", "list", "--year", year)
    refused(result, "Năm", "từ 2000 đến 2100")


@pytest.mark.parametrize("token_id", ["2147483648", "99999999999999999999"])
def test_cli_tokens_revoke_id_beyond_the_integer_range_says_why(app, org, token_id):
    result = run(app, "tokens", "revoke", "head", token_id)
    refused(result, "Không tìm thấy mã truy cập")


@pytest.mark.parametrize("code,name", [("X" * 41, "Xã dài"), ("XA9", "X" * 256)], ids=["code", "name"])
def test_cli_units_create_overlong_code_or_name_says_why(app, org, code, name):
    result = run(app, "units", "create", code, name, "--parent", "TINH", "--level", "commune")
    refused(result, "tối đa", "40" if len(code) > 40 else "255")


def test_cli_calendar_set_with_a_note_longer_than_its_column_says_why(app, org):
    result = run(app, "calendar", "set", "2026-12-24", "off", "--note", "x" * 501)
    refused(result, "Ghi chú", "500")
