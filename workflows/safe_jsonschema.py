"""JSON Schema validation whose regular expressions cannot freeze the server.

jsonschema runs ``pattern`` and ``patternProperties`` with Python's backtracking ``re``: a form
pattern like ``^(a+)+$`` and 29 characters sent held every request for seconds. Here the same
keywords (and ``additionalProperties``, which reads ``patternProperties``, and the ``regex``
format) run on RE2, whose time grows linearly with the input. RE2 has no backreferences and no
lookaround: ``schema_problems`` names every pattern it cannot compile, with its JSON pointer, so
the check refuses such a form before it is deployed rather than when someone sends it.

The ``email`` format is checked as an address that can go in a mail header (jsonschema only
asks for an @): one @, a domain with a dot, no spaces and none of the characters that separate
or quote addresses.

``schema_problems`` also refuses what would make a later walk of the schema crash: a local
``$ref`` that leads back into itself (the form renderer would recurse forever) and nesting deeper
than ``workflows.json_limits.MAX_DEPTH``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import re2
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from jsonschema.exceptions import SchemaError
from jsonschema.protocols import Validator

from workflows.json_limits import MAX_DEPTH, value_depth

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> Any:
    """The RE2 program of ``pattern``; ``re2.error`` when RE2 cannot run it."""
    return re2.compile(pattern, _OPTIONS)


def pattern_error(pattern: str) -> str | None:
    """Why RE2 cannot run ``pattern`` (None when it can)."""
    try:
        compile_pattern(pattern)
    except re2.error as err:
        reason = err.args[0] if err.args else err
        text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        hint = "(RE2 allows no backreferences or lookaround)"
        return f"the pattern {pattern!r} cannot be used: {text} {hint}"
    except (TypeError, ValueError) as err:
        return f"the pattern {pattern!r} cannot be used: {err}"
    return None


def _search(pattern: str, text: str) -> bool:
    try:
        return compile_pattern(pattern).search(text) is not None
    except re2.error:
        return False  # refused at the check; an unchecked schema's bad pattern matches nothing


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: dict[str, Any], instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if _search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional_properties(
    validator: Any, allowed: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    declared = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    extras = [
        key
        for key in instance
        if key not in declared and not any(_search(pattern, key) for pattern in patterns)
    ]
    if validator.is_type(allowed, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], allowed, path=extra)
    elif not allowed and extras:
        names = ", ".join(repr(extra) for extra in sorted(extras))
        yield ValidationError(f"Additional properties are not allowed ({names} unexpected)")


# What a choice's branch may hold besides its ``const``: words for people, not for validation.
_ANNOTATIONS = frozenset(("const", "title", "description", "$comment"))


# The values of the lists of choices seen lately, by the list's id (with the list itself, so
# that an id reused by a later list is not taken for it): a form's schema is read once per
# version and validated on every send.
_CHOICES: dict[int, tuple[Any, frozenset[str] | None]] = {}
_CHOICES_KEPT = 256


def _choice_values(branches: Any) -> frozenset[str] | None:
    """The values of a list of choices (``[{"const": "020", "title": "Akaa"}, ...]``, a form's
    options) when every branch is a string ``const`` with only annotations beside it and no
    value comes twice; None for any other list of subschemas."""
    seen = _CHOICES.get(id(branches))
    if seen is not None and seen[0] is branches:
        return seen[1]
    if len(_CHOICES) >= _CHOICES_KEPT:
        _CHOICES.clear()
    values = _read_choices(branches)
    _CHOICES[id(branches)] = (branches, values)
    return values


def _read_choices(branches: Any) -> frozenset[str] | None:
    if not isinstance(branches, list):
        return None
    values = []
    for branch in branches:
        if not isinstance(branch, dict) or not branch.keys() <= _ANNOTATIONS:
            return None
        value = branch.get("const")
        if not isinstance(value, str):
            return None
        values.append(value)
    unique = frozenset(values)
    return unique if len(unique) == len(values) else None


def _among_choices(base: Any) -> Any:
    """``oneOf``/``anyOf`` that answers a valid choice among distinct string consts (the 309
    municipalities of a form) by looking the string up, rather than by validating it against
    every branch and making an error for each that does not match (exactly one branch matches
    then, as both keywords ask); anything else, the draft's own keyword, so a wrong value gets
    the same errors as before."""

    def among_choices(validator: Any, branches: Any, instance: Any, schema: Any) -> Any:
        values = _choice_values(branches)
        if values is not None and isinstance(instance, str) and instance in values:
            return
        yield from base(validator, branches, instance, schema)

    return among_choices


def _if_fields_are(base: Any) -> Any:
    """``if`` that answers a test of fields' string values (``{"properties": {"region":
    {"const": "01"}}}``, one per region of the idea form, for every partner row) by reading
    them, rather than by building a validator for the test each time; any other test, the
    draft's own keyword. ``then`` and ``else`` are applied as the draft applies them."""

    def if_(validator: Any, test: Any, instance: Any, schema: Any) -> Any:
        passed = _fields_are(test, instance)
        if passed is None:
            yield from base(validator, test, instance, schema)
        elif passed and "then" in schema:
            yield from validator.descend(instance, schema["then"], schema_path="then")
        elif not passed and "else" in schema:
            yield from validator.descend(instance, schema["else"], schema_path="else")

    return if_


def _fields_are(test: Any, instance: Any) -> bool | None:
    """Whether ``instance`` passes ``test`` when the test asks only that fields be there
    (``required``) and that fields there be given strings (``properties`` of string
    ``const``s); None for any other test. As JSON Schema has it, what is not an object passes,
    and a field that is not there passes its ``properties`` test."""
    if not isinstance(test, dict) or not test.keys() <= {"properties", "required"}:
        return None
    properties, required = test.get("properties", {}), test.get("required", [])
    if not isinstance(properties, dict) or not isinstance(required, list):
        return None
    for rule in properties.values():
        if not isinstance(rule, dict) or rule.keys() != {"const"}:
            return None
        if not isinstance(rule["const"], str):
            return None
    if not isinstance(instance, dict):
        return True
    if any(name not in instance for name in required):
        return False
    # A string const equals only that string: no number or boolean is taken for it.
    return all(
        instance[name] == rule["const"] for name, rule in properties.items() if name in instance
    )


def _is_regex(instance: object) -> bool:
    return not isinstance(instance, str) or pattern_error(instance) is None


_NOT_IN_ADDRESSES = frozenset('"(),:;<>[\\]')


def _is_email(instance: object) -> bool:
    """name@example.fi: what people write as an address, and what a To header can carry."""
    if not isinstance(instance, str):
        return True
    local, at, domain = instance.rpartition("@")
    labels = domain.split(".")
    plain = all(
        c.isprintable() and not c.isspace() and c not in _NOT_IN_ADDRESSES for c in instance
    )
    return bool(at and local and "@" not in local and len(labels) > 1 and all(labels) and plain)


@functools.cache
def _safe_class(base: type[Validator]) -> type[Validator]:
    replaced = {k: v for k, v in _REPLACEMENTS.items() if k in base.VALIDATORS}
    for keyword in ("oneOf", "anyOf"):
        if keyword in base.VALIDATORS:
            replaced[keyword] = _among_choices(base.VALIDATORS[keyword])
    if "if" in base.VALIDATORS:
        replaced["if"] = _if_fields_are(base.VALIDATORS["if"])
    checker = FormatChecker()
    checker.checkers = dict(base.FORMAT_CHECKER.checkers)
    checker.checks("regex", raises=(re2.error,))(_is_regex)
    checker.checks("email")(_is_email)
    safe = validators.extend(base, replaced)
    safe.FORMAT_CHECKER = checker
    return safe


# The keywords that match regular expressions. unevaluatedProperties reads patternProperties
# too, with Python's re: schema_problems refuses a schema that combines the two.
_REPLACEMENTS = {
    "pattern": _pattern,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
}


def validator_class(schema: Any) -> type[Validator]:
    """The validator of the schema's ``$schema`` draft (2020-12 when absent), on RE2."""
    base = validators.validator_for(schema, default=Draft202012Validator)
    return _safe_class(base)


def make_validator(schema: Any) -> Validator:
    """A validator for ``schema`` that checks formats and matches patterns with RE2."""
    cls = validator_class(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def schema_problems(schema: Any) -> list[tuple[str, str]]:
    """(JSON pointer, reason) for each thing that makes ``schema`` unusable as a form: not valid
    JSON Schema, nested too deep, a pattern RE2 cannot run, a ``$ref`` back into itself."""
    if value_depth(schema) > MAX_DEPTH:
        return [("", f"the schema is nested deeper than the limit of {MAX_DEPTH} levels")]
    try:
        validator_class(schema).check_schema(schema)
    except SchemaError as err:
        return [(_pointer(err.path), err.message)]
    problems = list(_pattern_problems(schema, ""))
    if {"patternProperties", "unevaluatedProperties"} <= set(_keys(schema)):
        problems.append(("", "patternProperties cannot be combined with unevaluatedProperties"))
    problems += _ref_cycles(schema)
    return problems


def _pointer(parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _pattern_problems(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _pattern_problems(item, f"{where}/{index}")
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("pattern"), str) and (error := pattern_error(node["pattern"])):
        yield f"{where}/pattern", error
    regexes = node.get("patternProperties")
    if isinstance(regexes, dict):
        for key in regexes:
            if error := pattern_error(key):
                yield _pointer([*_split(where), "patternProperties", key]), error
    for key, value in node.items():
        yield from _pattern_problems(value, _pointer([*_split(where), key]))


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _keys(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)


def _split(pointer: str) -> list[str]:
    parts = pointer.split("/")[1:] if pointer else []
    return [p.replace("~1", "/").replace("~0", "~") for p in parts]


def _ref_cycles(root: Any) -> list[tuple[str, str]]:
    """Local ``$ref``s that lead back into a schema they are inside of (a form of infinite
    depth). Following the ref at L to its target T meets every ref inside T: those are the
    edges of a graph over the refs, and a ref on a cycle of it is refused."""
    refs = dict(_local_refs(root, ""))
    inside = {
        where: [other for other in refs if _within(target, other)] for where, target in refs.items()
    }
    state: dict[str, int] = {}  # 1 while being followed, 2 when done
    found: list[tuple[str, str]] = []
    for start in refs:
        stack = [(start, iter(inside[start]))]
        state.setdefault(start, 1)
        if state[start] == 2:
            continue
        while stack:
            where, todo = stack[-1]
            nxt = next(todo, None)
            if nxt is None:
                state[where] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                found.append((f"{nxt}/$ref", _loop(refs[nxt])))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(inside[nxt])))
    return list(dict.fromkeys(found))


def _loop(target: str) -> str:
    return f"the $ref '#{target}' leads back into itself: the form would never end"


def _local_refs(node: Any, where: str) -> Iterator[tuple[str, str]]:
    """(pointer of the object holding a local $ref, pointer of its target) for every one."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _local_refs(item, f"{where}/{index}")
    elif isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            yield where, ref[1:]
        for key, value in node.items():
            yield from _local_refs(value, _pointer([*_split(where), key]))


def _within(ancestor: str, pointer: str) -> bool:
    return ancestor in ("", "/") or pointer == ancestor or pointer.startswith(ancestor + "/")
