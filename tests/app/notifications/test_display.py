"""Notices, stored as the English text the app wrote, shown in the page language."""

from app.notifications.display import MESSAGE_HEADS, notice_text
from app.notifications.operations import MESSAGE_NOTICES


def test_every_message_notice_has_a_translatable_text():
    assert set(MESSAGE_NOTICES.values()) <= set(MESSAGE_HEADS)


def test_the_parts_the_app_wrote_are_said_in_the_page_language(app):
    with app.test_request_context(headers={"Accept-Language": "fi"}):
        new_task = notice_text("New task: Screen the idea proposal – Untitled application (case-1)")
        message = notice_text("The webinar invitation arrived – Lakeland growth corridor")
        other = notice_text("Message “reminder” received – Lakeland growth corridor")

    assert new_task == "Uusi tehtävä: Screen the idea proposal – Nimetön hakemus (case-1)"
    assert message == "Webinaarikutsu saapui – Lakeland growth corridor"
    assert other == "Viesti ”reminder” vastaanotettu – Lakeland growth corridor"


def test_a_text_the_app_did_not_write_is_shown_as_it_is(app):
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        assert notice_text("Something else – case-3") == "Something else – case-3"
        assert notice_text("New task: Decide the funding") == "Ny uppgift: Decide the funding"


def test_a_reminder_names_its_document_and_deadline_in_the_page_language(app):
    text = (
        "Reminder: the application is not sent yet; the deadline is 2.6.2021 16:15 (UTC+03:00)"
        " – Lakeland growth corridor"
    )
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        swedish = notice_text(text)
    with app.test_request_context(headers={"Accept-Language": "fi"}):
        finnish = notice_text(text)

    assert swedish == (
        "Påminnelse: dokumentet (ansökan) har ännu inte skickats; tidsfristen går ut "
        "2.6.2021 16:15 (UTC+03:00) – Lakeland growth corridor"
    )
    assert finnish.startswith("Muistutus: hakemus on vielä lähettämättä; määräaika on 2.6.2021")
