"""Where a bundle keeps its files: BPMN and DMN at the top, forms in ``forms/``.

A leaf, so that the modules reading a bundle's files (workflows.bundles, workflows.translations,
diff, import and export) name the forms folder without importing each other. The translation
catalogs' folder is workflows.translations.TRANSLATIONS_FOLDER.
"""

from __future__ import annotations

FORMS_FOLDER = "forms/"
