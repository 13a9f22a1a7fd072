"""Thirty uploads to one case at once (threads released together by a barrier): the case never
holds more than its 20 attachments, and every upload gets an answer a person can read."""

import io
import threading
from collections import Counter

from tests.app.attachments.helpers import PDF, stored

AT_ONCE = 30
LIMIT = 20


def test_thirty_uploads_at_once_never_leave_more_than_the_limit(
    app, invited, signed_in, csrf_token
):
    url = "/cases/1/attachments"
    browsers = [signed_in("applicant") for _ in range(AT_ONCE)]
    tokens = [csrf_token(browser, url) for browser in browsers]
    barrier = threading.Barrier(AT_ONCE)
    answers: list[object] = [None] * AT_ONCE

    def send(n: int) -> None:
        barrier.wait()
        try:
            answers[n] = browsers[n].post(
                url,
                data={"csrf_token": tokens[n], "files": (io.BytesIO(PDF), f"part{n}.pdf")},
                content_type="multipart/form-data",
            )
        except Exception as error:  # noqa: BLE001 - shown by the assertion below
            answers[n] = error

    threads = [threading.Thread(target=send, args=(n,)) for n in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    codes = Counter(getattr(answer, "status_code", repr(answer)) for answer in answers)
    assert codes == {302: LIMIT, 422: AT_ONCE - LIMIT}
    for answer in answers:
        if answer.status_code == 422:
            assert "A case can have at most 20 attachments." in answer.get_data(as_text=True)
    rows, files = stored(app)
    assert (rows, len(files)) == (LIMIT, LIMIT)
