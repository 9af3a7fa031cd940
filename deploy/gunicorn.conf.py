"""gunicorn for Brobygger (`make serve`, the container): like Django's settings, everything from the environment.

Threaded workers: a request mostly waits on PostgreSQL, so threads serve more users per process than sync workers,
and each process's connection pool (DB_POOL_MAX_SIZE in settings.py) should be as large as its thread count.
See docs/operations.md for how the numbers add up to PostgreSQL's max_connections.
"""

import multiprocessing
import os

# The same defaults as `make run`: only this machine. A container sets BROBYGGER_HOST=0.0.0.0.
bind = f"{os.environ.get('BROBYGGER_HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
wsgi_app = "brobygger.wsgi:application"

workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Requests that take longer belong in the background worker; a stuck one is killed rather than holding a thread.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so slow memory growth never accumulates; the jitter keeps them from restarting at once.
max_requests = 2000
max_requests_jitter = 200
# The platform (or `make serve`) manages the processes; a control socket under $HOME would only collide between
# two servers on one machine, such as the load test beside a running `make serve`.
control_socket_disable = True

# Access log to stdout for the platform's log collection: method, path, status, size and time, and nothing else.
# Paths carry no personal data, but query strings can (the participant search by name is a GET), and so could the
# client's address and headers.
accesslog = "-"
errorlog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
