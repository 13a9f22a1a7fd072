"""Task instructions: text of the data shows as written, and the site makes a case's links."""

from app.tasks.instructions import render_instructions

ROW = "| Project |\n|---|\n| [{{ name | markdown_text }}]({{ case_id | application_url }}) |"


def test_a_project_name_shows_as_written_inside_a_link_and_a_table(app):
    name = "Growth [zone] | *North* & <script>alert(1)</script> x](javascript:alert(1))\nend"

    with app.test_request_context():
        html = render_instructions(ROW, {"name": name, "case_id": 7})

    assert html.count("<a ") == 1
    assert (
        '<a href="/cases/7/application" rel="noopener noreferrer">Growth [zone] | *North* &amp; '
        "&lt;script&gt;alert(1)&lt;/script&gt; x](javascript:alert(1)) end</a>"
    ) in html
    assert "<script" not in html


def test_the_site_makes_the_addresses_of_a_case_and_of_nothing_else(app):
    text = (
        "[a]({{ 3 | application_url }}) [e]({{ 3 | evaluations_url }}) "
        "[x]({{ x | evaluations_url }})"
    )

    with app.test_request_context():
        html = render_instructions(text, {"x": "/admin"})

    hrefs = [part.split('"')[0] for part in html.split('href="')[1:]]
    assert hrefs == ["/cases/3/application", "/cases/3/evaluations", ""]


def test_the_same_instructions_show_each_case_its_own_data_and_catalog(app):
    """A process's instructions are compiled once and shown to every case: what one case's
    data or page language filled in never shows on another's page."""
    text = "Project: **{{ name | markdown_text }}**, {{ reason | process_text }}\n\n- a list"
    finnish = {"Too small": "Liian pieni"}

    with app.test_request_context():
        first = render_instructions(text, {"name": "North", "reason": "Too small"}, finnish)
        second = render_instructions(text, {"name": "South", "reason": "Too small"})
        broken = render_instructions("{{ name ", {"name": "North"})

    assert "<strong>North</strong>, Liian pieni" in first
    assert "<strong>South</strong>, Too small" in second
    assert "North" not in second and "Liian" not in second
    assert second.count("<li>") == 1
    assert "could not be filled in" in broken
