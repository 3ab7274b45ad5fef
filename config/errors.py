"""Error pages that work when what they would normally need is gone."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# What an unreachable database (or the Redis holding the sessions) raises from anywhere in a request.
# An IntegrityError or a bad query is a bug and stays a 500; losing the server is not.
UNAVAILABLE = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)


def server_error(request):
    """handler500: a database or cache that is down is a 503 page saying to try again shortly,
    not a 500 saying something is broken. The page needs nothing but its template: no user,
    no session, no context processor (each would ask the database again)."""
    error = sys.exc_info()[1]
    if isinstance(error, UNAVAILABLE):
        html = loader.get_template("503.html").render()
        return HttpResponse(html, status=503, headers={"Retry-After": "30"})
    return django_server_error(request)

