"""gunicorn's settings for grantflow in production, behind nginx (deploy/nginx.conf):

    gunicorn -c deploy/gunicorn.conf.py 'app:create_app()'

and, beside it, one `flask --app app grantflow worker` process (deploy/grantflow-*.service).
Environment (besides the app's own DATABASE_URL and GRANTFLOW_* settings):
GRANTFLOW_BIND (127.0.0.1:8000), WEB_CONCURRENCY (worker processes; 2 × cores + 1),
GUNICORN_TIMEOUT (60 s), FORWARDED_ALLOW_IPS (127.0.0.1: the proxy whose X-Forwarded-Proto is
believed), GUNICORN_ACCESS_LOG (- = stdout, i.e. the journal under systemd; empty: off)."""

import multiprocessing
import os

bind = os.environ.get("GRANTFLOW_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Synchronous workers: nginx in front buffers slow clients and whole request bodies.
worker_class = "sync"
# A request may run this long; TIMER_GRACE_SECONDS (120 s) must stay above it and above the
# proxy's read timeout, so that no deadline timer fires while a form sent in time still waits.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# The longest request line (method, path and query) gunicorn reads; a longer one is answered
# 414 before the app sees it (nginx's own limit, 8 KB, is above it). Queries are short: every
# form that sends much text is a POST.
limit_request_line = 4094
# Requests wait in the kernel's queue during a rush at a deadline (their arrival is nginx's
# stamp, so the wait does not make them late).
backlog = 4096
# Recycle a worker now and then so memory stays flat over a long call.
max_requests = 5000
max_requests_jitter = 500
# Only the proxy on this host may say the request came over HTTPS (X-Forwarded-Proto); the
# app's GRANTFLOW_PROXY_COUNT=1 reads X-Forwarded-For/-Host/-Proto from that one proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Logs to stdout/stderr: systemd's journal keeps them. The access log shows the client's
# address as the proxy sent it.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # "" turns it off
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %({x-forwarded-for}i)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# gunicorn ≥ 24 opens a control socket in the user's home by default; grantflow does not use
# it, and two instances on one host (or a locked-down home under systemd) would clash over it.
control_socket_disable = True


def post_worker_init(worker: object) -> None:
    """Each web process, once it has loaded the app, keeps what is loaded out of the garbage
    collector's way and collects more rarely (app/heap.py)."""
    from app.heap import settle_heap

    settle_heap()
