"""Steps shared by the case tests: open a case through the pages and send its idea proposal."""

from __future__ import annotations


def open_case(client, csrf_token) -> str:
    """Start an application; returns the URL of its idea-proposal task."""
    token = csrf_token(client, "/cases")
    response = client.post("/calls/regional-networks-2021/applications", data={"csrf_token": token})
    assert response.status_code == 302
    return response.headers["Location"]


def send_idea(client, csrf_token, form) -> None:
    url = open_case(client, csrf_token)
    response = client.post(
        url, data={**form, "action": "send", "csrf_token": csrf_token(client, url)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
