import json
import logging

import pytest

pytestmark = pytest.mark.django_db


def json_line(record):
    """The record as settings.LOGGING writes it in production."""
    formatter = logging.getHandlerByName("json").formatter
    line = formatter.format(record)
    assert "\n" not in line
    return json.loads(line)


def test_one_structured_line_per_request(client, caplog, seed):
    caplog.set_level(logging.INFO, logger="access")
    client.get("/commentaries/210/?page=2")
    [record] = [r for r in caplog.records if r.name == "access"]
    line = json_line(record)
    assert line["method"] == "GET"
    assert line["path"] == "/commentaries/210/"  # query strings (searches) stay out of logs
    assert line["status"] == 301
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "INFO" and line["time"]


def test_errors_log_their_traceback(client, caplog, monkeypatch, seed):
    def broken(*args, **kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr("commentaries.reading.views.render", broken)
    client.raise_request_exception = False
    assert client.get("/").status_code == 500
    [error] = [r for r in caplog.records if r.name == "django.request"]
    line = json_line(error)
    assert "Traceback" in line["exc_info"] and "template exploded" in line["exc_info"]
    [access] = [r for r in caplog.records if r.name == "access"]
    assert json_line(access)["status"] == 500
