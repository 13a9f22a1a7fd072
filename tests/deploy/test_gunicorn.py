"""The app under gunicorn with deploy/gunicorn.conf.py, configured from the environment alone,
as deploy/grantflow-web.service runs it: the login page and a static file over HTTP."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from tests.deploy.processes import PYTHON, ROOT, environment, free_port
from tests.gunicorn_limits import LIMIT_REQUEST_LINE


@pytest.fixture
def gunicorn(app, database_url, tmp_path) -> Iterator[str]:
    """gunicorn on a free loopback port; yields its base URL."""
    port = free_port()
    env = environment(database_url, tmp_path, BIND=f"127.0.0.1:{port}", PROXY_COUNT="1")
    env["WEB_CONCURRENCY"] = "2"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "app:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        waited_until = time.monotonic() + 60
        while server.poll() is None and time.monotonic() < waited_until:
            try:
                urllib.request.urlopen(f"{base}/static/style.css", timeout=30).close()
                break
            except OSError:  # not listening yet
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        log, _ = server.communicate(timeout=60)
        print(log)  # shown when the test fails
    assert server.returncode == 0, log


def get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    return urllib.request.urlopen(request, timeout=30)


def test_gunicorn_serves_the_login_page_and_static_files_and_refuses_an_overlong_request_line(
    gunicorn,
):
    with get(f"{gunicorn}/login", **{"Accept-Language": "en"}) as page:
        assert page.status == 200
        html = page.read().decode()
    assert 'name="password"' in html
    assert 'href="/static/style.css"' in html
    with get(f"{gunicorn}/static/style.css") as style:
        assert style.status == 200
        assert style.headers["Content-Type"].startswith("text/css")
        assert len(style.read()) > 0
    # A request line past limit_request_line never reaches the app: tests/app/test_fuzz.py
    # sends hostile queries only up to that length.
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(f"{gunicorn}/login?q={'x' * LIMIT_REQUEST_LINE}")
    refused.value.close()
    assert refused.value.code == 414
