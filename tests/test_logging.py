"""Phone numbers stay out of the request logs: runserver's and Django's, and gunicorn's access log (issue 8)."""

import io
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils.log import ServerFormatter

from config.log_filters import MaskLongDigits

GUNICORN_CONF = Path(__file__).resolve().parent.parent / "config" / "gunicorn.conf.py"


def runserver_record(request_line: str) -> logging.LogRecord:
    """What django.core.servers.basehttp logs for one request."""
    return logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                             (request_line, "200", "5120"), None)


def test_the_filter_masks_a_searched_phone_number_and_keeps_the_rest():
    record = runserver_record("GET /customers/?q=13800001111 HTTP/1.1")
    assert MaskLongDigits().filter(record) is True  # masks, never drops
    assert record.getMessage() == '"GET /customers/?q=*** HTTP/1.1" 200 5120'


def test_the_filter_leaves_case_numbers_and_short_numbers_alone():
    record = runserver_record("GET /complaints/TS202610-000016/?page=2 HTTP/1.1")
    MaskLongDigits().filter(record)
    assert record.getMessage() == '"GET /complaints/TS202610-000016/?page=2 HTTP/1.1" 200 5120'


def test_a_masked_message_with_a_percent_sign_formats_once():
    record = runserver_record("GET /customers/?q=%E5%BC%A0+13912345678 HTTP/1.1")
    MaskLongDigits().filter(record)
    assert "q=%E5%BC%A0+*** HTTP/1.1" in record.getMessage()


@pytest.mark.parametrize("name", ["django.server", "django.request"])
def test_settings_attach_the_filter_to_the_request_loggers(name):
    assert any(isinstance(f, MaskLongDigits) for f in logging.getLogger(name).filters)


def test_runserver_still_writes_its_request_lines(monkeypatch):
    logger = logging.getLogger("django.server")
    assert not logger.propagate
    # Restating the logger in settings kept Django's handler and format (pytest adds its own beside it).
    [handler] = [h for h in logger.handlers if isinstance(h.formatter, ServerFormatter)]
    monkeypatch.setattr(handler, "stream", io.StringIO())
    logger.info('"%s" %s %s', "GET /customers/?q=13800001111 HTTP/1.1", "200", "5120", extra={"status_code": 200})
    written = handler.stream.getvalue()
    assert written.startswith("[") and '"GET /customers/?q=*** HTTP/1.1" 200 5120' in written


def test_django_request_logs_a_404_without_the_number(agent_client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert agent_client.get("/customers/13800001111/").status_code == 404
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert "13800001111" not in record.getMessage() and "/customers/***/" in record.getMessage()


def test_gunicorn_access_log_has_path_but_no_query_or_referer():
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    conf = runpy.run_path(str(GUNICORN_CONF))
    access_format = conf["access_log_format"]
    for leaky in ("%(r)s", "%(q)s", "%(f)s", "{referer}i"):
        assert leaky not in access_format.lower()
    # What gunicorn itself writes for a customer search, with this configuration.
    cfg = Config()
    cfg.set("access_log_format", access_format)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/customers/?q=13800001111", "PATH_INFO": "/customers/",
               "QUERY_STRING": "q=13800001111", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.5",
               "HTTP_REFERER": "https://closeloop.example/customers/?q=13800001111", "HTTP_USER_AGENT": "Firefox"}
    response = SimpleNamespace(status="200 OK", sent=5120, headers=[])
    log = Logger(cfg)
    line = access_format % log.atoms_wrapper_class(log.atoms(response, [], environ, timedelta(milliseconds=12)))
    assert '"GET /customers/ HTTP/1.1" 200 5120' in line and "13800001111" not in line


def test_a_live_survey_link_stays_out_of_the_logs(client, caplog):
    """A survey link answers the customer's survey while it works: Django's 404 warning and gunicorn's
    access line keep the path but not the token."""
    from gunicorn.config import Config

    from config.gunicorn_logger import MaskingLogger

    token = "eyJzIjoxLCJrIjoiYWJjIn0:1uXyZ:Q2hhbmdlZFNpZ25hdHVyZQ"
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(f"/s/{token}/")
    assert all(token not in r.getMessage() for r in caplog.records)
    assert any("/s/***" in r.getMessage() for r in caplog.records if r.name == "django.request")

    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["logger_class"] == "config.gunicorn_logger.MaskingLogger"
    cfg = Config()
    cfg.set("access_log_format", conf["access_log_format"])
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/s/{token}/", "PATH_INFO": f"/s/{token}/", "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.5", "HTTP_USER_AGENT": "Safari"}
    log = MaskingLogger(cfg)
    response = SimpleNamespace(status="410 Gone", sent=900, headers=[])
    line = conf["access_log_format"] % log.atoms_wrapper_class(log.atoms(response, [], environ,
                                                                         timedelta(milliseconds=5)))
    assert '"GET /s/***/ HTTP/1.1" 410' in line and token not in line
