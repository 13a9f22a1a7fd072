"""The SpiffArena import in the browser: a process owner uploads a repository, reads what the
check found for each model (axe-checked), deploys what passes, and a case of an imported model
is started and done."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.app.processes.test_spiffarena_import import repository_zip
from tests.browser.axe import violations

pytestmark = pytest.mark.browser


def test_a_repository_is_imported_deployed_and_a_case_of_it_done(
    as_user: Callable[..., Page], tmp_path: Path
) -> None:
    repository = tmp_path / "sample-process-models.zip"
    repository.write_bytes(repository_zip())
    owner = as_user("process_owner")
    owner.goto("/processes")
    owner.get_by_role("link", name="Import from SpiffArena").click()
    owner.get_by_label("Zip file").set_input_files(repository)
    owner.get_by_role("button", name="Import", exact=True).click()

    results = owner.locator("table.data-table tbody tr")
    expect(results).to_have_count(11)
    lanes = results.filter(has_text="grants/lanes")
    expect(lanes).to_contain_text("1 problem found by the check")
    expect(lanes).to_contain_text("lane 'Finance' is not a role: map it to a role")
    assert violations(owner) == []

    owner.get_by_role("button", name="Deploy all that pass the check").click()
    expect(owner.get_by_text("10 process models deployed.")).to_be_visible()
    assert violations(owner) == []

    specialist = as_user("specialist")
    specialist.goto("/start")
    specialist.locator(".card").filter(has_text="Sign the paper").get_by_role("button").click()
    expect(specialist.get_by_role("heading", level=1)).to_have_text("Sign the paper")
    specialist.get_by_role("button", name="Mark as done").click()
    expect(specialist.get_by_role("heading", name="Sign the paper")).to_have_count(0)


@pytest.mark.parametrize(
    ("language", "heading", "label"),
    [
        ("Suomi", "Tuo SpiffArenasta", "Zip-tiedosto"),
        ("Svenska", "Importera från SpiffArena", "Zip-fil"),
    ],
)
def test_the_import_page_in_finnish_and_swedish(
    as_user: Callable[..., Page], language: str, heading: str, label: str
) -> None:
    owner = as_user("process_owner")
    owner.goto("/processes/spiffarena/import")
    owner.get_by_role("button", name=language).click()
    expect(owner.get_by_role("heading", level=1)).to_have_text(heading)
    expect(owner.get_by_label(label)).to_be_visible()
    assert violations(owner) == []
