"""Benchmarks that drive and prove performance work on the request path (issue 10).

They print figures beside their targets and never assert them:

    .venv/bin/python -m bench.submission   # one person sending forms: ms, SQL, bytes per case
    .venv/bin/python -m bench.scale        # does a request cost more when the call is bigger?

Both run on SQLite, and on PostgreSQL too when GRANTFLOW_BENCH_DATABASE_URL (or
--database-url) names a scratch database, which they drop and create. ``ten_tasks/`` is the
process model they deploy: ten sequential specialist tasks, each a form of two fields.
"""
