"""gunicorn's settings for grantflow in production, behind nginx (deploy/nginx.conf):

    gunicorn -c deploy/gunicorn.conf.py 'app:create_app()'

and, beside it, one or more `flask --app app grantflow worker` processes. Environment:
GRANTFLOW_BIND (127.0.0.1:8000) and WEB_CONCURRENCY (2 × cores + 1 processes)."""

import multiprocessing
import os

bind = os.environ.get("GRANTFLOW_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Synchronous workers: nginx in front buffers slow clients and whole request bodies.
worker_class = "sync"
# A request may run this long; TIMER_GRACE_SECONDS (120 s) must stay above it and above the
# proxy's read timeout, so that no deadline timer fires while a form sent in time still waits.
timeout = 60
graceful_timeout = 30
# Requests wait in the kernel's queue during a rush at a deadline (their arrival is nginx's
# stamp, so the wait does not make them late).
backlog = 4096
# Recycle a worker now and then so memory stays flat over a long call.
max_requests = 5000
max_requests_jitter = 500
