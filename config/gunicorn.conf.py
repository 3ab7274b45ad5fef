"""gunicorn's settings in production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.
(gunicorn finds a gunicorn.conf.py by itself only in the working directory, hence the -c.)"""

# The access log, on standard output beside the app's own log.
accesslog = "-"
# Method, path and protocol instead of the request line (%(r)s): the query string (%(q)s) and
# the referer (%(f)s) carry what people searched for, e.g. /customers/?q=13800001111.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(M)sms'
# Survey-link tokens in paths (/s/<token>/) are masked like phone numbers.
logger_class = "config.gunicorn_logger.MaskingLogger"
