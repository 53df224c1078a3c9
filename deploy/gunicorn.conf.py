"""gunicorn settings for SIME-PM's app servers (one file for every instance; the port comes from the unit).

    gunicorn config.wsgi -c deploy/gunicorn.conf.py --bind 127.0.0.1:8001

Values can be changed with environment variables (GUNICORN_WORKERS, GUNICORN_TIMEOUT, …) in the
unit or the env file, so an instance is tuned without editing this file.
"""

import multiprocessing
import os

# Behind nginx on the same machine: listen on loopback only (the unit passes --bind per instance).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Synchronous workers: the app is CPU- and database-bound; two per core plus one is gunicorn's advice,
# split over the app servers on the machine.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# The longest requests are the PDF reports (WeasyPrint, about a second) and workbook uploads;
# nginx waits 120 s (proxy_read_timeout), the worker is killed after this many seconds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "90"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then so a slow leak in a library never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# nginx on loopback sets X-Forwarded-Proto; trust it only from there.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Request lines and headers: nginx already limits them; these are gunicorn's defaults, written down.
limit_request_line = 8190
limit_request_fields = 100
# Logs to stdout/stderr: journald (systemd) keeps them.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "sime"
