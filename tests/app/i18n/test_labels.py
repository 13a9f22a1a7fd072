"""Names of roles, application objects, documents and phases, in the page language."""

from app.i18n.labels import document_name, for_group, object_name, phase_name, role_names


def test_the_names_are_english_outside_a_request():
    assert role_names({"specialist", "decision_maker"}) == "decision maker, specialist"
    assert object_name("theme_network") == "Theme network"
    assert object_name(None) == "–"
    assert document_name("idea_proposal") == "Idea proposal"
    assert phase_name("Waiting for: Funding decision") == "Waiting for: Funding decision"


def test_the_names_follow_the_page_language(app):
    with app.test_request_context(headers={"Accept-Language": "fi"}):
        assert role_names({"specialist", "decision_maker"}) == "päättäjä, asiantuntija"
        assert object_name("growth_zone") == "Kasvuvyöhyke"
        assert document_name("decision") == "Päätös"
        assert phase_name("Waiting for: Funding decision") == "Odottaa: Funding decision"
        assert phase_name("In progress") == "Käynnissä"
        assert for_group("specialist", "Specialist") == "asiantuntijalle"
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        assert object_name("theme_network") == "Temanätverk"
        assert document_name("webinar_invitation") == "Inbjudan till webbinariet"


def test_unknown_values_are_shown_readably(app):
    with app.test_request_context(headers={"Accept-Language": "fi"}):
        assert object_name("innovation_hub") == "Innovation hub"
        assert document_name("final_report") == "Final report"
        assert phase_name("Screen the idea proposal") == "Screen the idea proposal"
        assert for_group("auditor", "Auditor") == "ryhmälle auditor"
