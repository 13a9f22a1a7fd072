"""axe-core (from npm) run in the page: the serious and critical WCAG 2.1 AA violations."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Page) -> list[str]:
    # Evaluated rather than added as a <script>: the page's policy forbids inline script.
    page.evaluate(AXE.read_text("utf-8") + "\n;undefined")
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.help + ' (' +"
        " v.nodes.map(n => n.target.join(' ')).join(', ') + ')'))",
        WCAG_AA,
    )
    return list(found)
