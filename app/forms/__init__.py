"""JSON Schema forms for user tasks: render as accessible HTML, parse posted strings into typed
data, validate with jsonschema, and sanitize before data enters the engine.

Supported: `properties` of objects (nested), string/integer/number/boolean fields, `enum` and
`oneOf`/`anyOf` lists of `const` choices, arrays of objects or scalars, arrays of enum strings
(checkboxes), local `$ref`s (`#/definitions/...`, `#/$defs/...`). Conditional schemas
(`dependencies`, `if`/`then`) are validated but their extra fields are not rendered.
"""

from app.forms.parse import parse_form
from app.forms.render import field_id, render_error_summary, render_form
from app.forms.sanitize import sanitize_for_engine
from app.forms.validate import validate_form

__all__ = [
    "field_id",
    "parse_form",
    "render_error_summary",
    "render_form",
    "sanitize_for_engine",
    "validate_form",
]
