"""SpiffArena's script environment, as far as it is safe: what a script imported from SpiffArena
finds by name, with the results SpiffArena gives.

SpiffArena's script engine puts ``datetime`` (the class, not the module), ``timedelta``, the
modules ``time``, ``decimal`` and ``pytz`` and helper functions (``get_current_user()``,
``get_toplevel_process_info()``, ...) in every script's globals. Here a script gets the same
names, but never a module: ``time``, ``decimal`` and ``pytz`` are small objects holding the
module's harmless functions, and "now" is the case's clock (a rehearsal clock moves it), not
the wall clock. The helpers read the ``env`` the engine sends with each call as plain data
(the worker has no database): the acting user, the person who started the case, the
instance, the front end's address, the task pages by BPMN id. A helper grantflow does not offer
is refused when the process is checked (``NOT_OFFERED``, used by workflows/sandbox.py's
``check_source``).

Like workflows/sandbox_runtime.py this file imports only the standard library (and pytz, when
it is there): the sandbox worker loads it in a bare interpreter.
"""

from __future__ import annotations

import calendar
import time as _time
from collections.abc import Callable
from datetime import datetime as _datetime
from datetime import timedelta, timezone
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    InvalidOperation,
)
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

# The helpers a script may call (SpiffArena's names); each reads the call's env.
OFFERED = frozenset(
    {
        "get_current_user",
        "get_process_initiator_user",
        "get_toplevel_process_info",
        "get_frontend_url",
        "get_url_for_task_with_bpmn_identifier",
        "get_last_user_completing_task",
        "get_localtime",
        "get_env",
    }
)
# Offered only when an administrator has set the environment's name (SCRIPT_ENV_IDENTIFIER).
NEEDS_SETTING = {"get_env": "SCRIPT_ENV_IDENTIFIER"}

_NEEDS_SPIFFARENA = "it needs SpiffArena's own database"
# SpiffArena's other helpers, and why a script here cannot call them.
NOT_OFFERED: dict[str, str] = {
    "get_secret": "grantflow keeps no secrets for process scripts",
    "set_secret": "grantflow keeps no secrets for process scripts",
    "get_encoded_file_data": "grantflow gives scripts no files",
    "markdown_file_download_link": "grantflow gives scripts no files",
    "get_current_task_info": "it hands the engine's own task object to the script",
    "get_data_sizes": "it reads the engine's own state",
    **{
        name: _NEEDS_SPIFFARENA
        for name in (
            "create_unique_kkv_top_level_key",
            "delete_process_instances_with_criteria",
            "extract_from_task_data",
            "fact_service",
            "generate_markdown_table",
            "get_all_permissions",
            "get_current_task_data",
            "get_group_members",
            "get_groups_for_user",
            "get_task_data_value",
            "get_task_potential_owners",
            "get_url_for_task",
            "get_user",
            "get_user_properties",
            "get_users_assigned_to_task",
            "refresh_permissions",
            "set_feature_flags",
            "set_user_properties",
            "times_executed_by_user",
            "update_task_data_with_dictionary",
            "user_has_started_instance",
        )
    },
}


class _SameDatetime(type):
    """``isinstance(value, datetime)`` holds for every datetime, as with SpiffArena's class."""

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, _datetime)

    def __subclasscheck__(cls, subclass: type) -> bool:
        return issubclass(subclass, _datetime)


def _clock_datetime(now: _datetime) -> type:
    """SpiffArena's ``datetime`` (the class), whose now() is the case's clock. The server's
    local time is UTC, as in SpiffArena's containers."""

    class datetime(_datetime, metaclass=_SameDatetime):  # noqa: N801 - the name scripts use
        @classmethod
        def now(cls, tz: Any = None) -> _datetime:  # type: ignore[override]
            return now.astimezone(tz) if tz is not None else now.replace(tzinfo=None)

        @classmethod
        def today(cls) -> _datetime:  # type: ignore[override]
            return now.replace(tzinfo=None)

        @classmethod
        def utcnow(cls) -> _datetime:  # type: ignore[override]
            return now.replace(tzinfo=None)

    return datetime


def _time_of(now: _datetime) -> SimpleNamespace:
    """The ``time`` module's harmless functions; time() is the case's clock."""
    stamp = now.timestamp()

    def strftime(form: str, moment: Any = None) -> str:
        return _time.strftime(form, _time.gmtime(stamp) if moment is None else moment)

    return SimpleNamespace(
        time=lambda: stamp,
        time_ns=lambda: int(stamp * 1_000_000_000),
        gmtime=lambda seconds=None: _time.gmtime(stamp if seconds is None else seconds),
        localtime=lambda seconds=None: _time.gmtime(stamp if seconds is None else seconds),
        mktime=calendar.timegm,
        strftime=strftime,
        strptime=_time.strptime,
        monotonic=_time.monotonic,
        perf_counter=_time.perf_counter,
    )


DECIMAL = SimpleNamespace(
    Decimal=Decimal,
    InvalidOperation=InvalidOperation,
    ROUND_CEILING=ROUND_CEILING,
    ROUND_DOWN=ROUND_DOWN,
    ROUND_FLOOR=ROUND_FLOOR,
    ROUND_HALF_DOWN=ROUND_HALF_DOWN,
    ROUND_HALF_EVEN=ROUND_HALF_EVEN,
    ROUND_HALF_UP=ROUND_HALF_UP,
    ROUND_UP=ROUND_UP,
)


def _pytz() -> SimpleNamespace | None:
    """SpiffArena's ``pytz``, when it is installed (Flask-Babel brings it): its time zones
    (real pytz objects: localize() and normalize() give pytz's results) and utc."""
    try:
        import pytz  # type: ignore[import-untyped]
    except ImportError:
        return None
    return SimpleNamespace(
        timezone=pytz.timezone,
        utc=pytz.utc,
        UTC=pytz.UTC,
        UnknownTimeZoneError=pytz.UnknownTimeZoneError,
        all_timezones=list(pytz.all_timezones),
        common_timezones=list(pytz.common_timezones),
    )


PYTZ = _pytz()


def _localtime(*args: Any, **kwargs: Any) -> _datetime:
    """SpiffArena's get_localtime(datetime, timezone='US/Eastern')."""
    moment = kwargs["datetime"] if "datetime" in kwargs else (args[0] if args else None)
    if moment is None:
        raise ValueError("get_localtime needs a datetime to convert")
    zone = kwargs.get("timezone", args[1] if len(args) > 1 else "US/Eastern")
    return moment.astimezone(ZoneInfo(zone))


def names(env: dict[str, Any]) -> dict[str, Any]:
    """What a script finds by name for one call: SpiffArena's classes, modules and helpers,
    bound to ``env`` (see workflows/script_context.py for what it holds)."""
    now = env.get("now") or _datetime.now(timezone.utc)
    found: dict[str, Any] = {
        "datetime": _clock_datetime(now),
        "timedelta": timedelta,
        "time": _time_of(now),
        "decimal": DECIMAL,
        "get_localtime": _localtime,
    }
    if PYTZ is not None:
        found["pytz"] = PYTZ
    found.update(_helpers(env))
    return found


# What ``import <name>`` may name in a script (SpiffArena imports from its globals).
IMPORTABLE = frozenset({"datetime", "time", "decimal", "pytz"})
# Every name this module gives a script (the engine's data checks treat them as set).
SCRIPT_NAMES = frozenset(
    {"datetime", "timedelta", "time", "decimal", "get_localtime"}
    | OFFERED
    | ({"pytz"} if PYTZ is not None else set())
)


def _helpers(env: dict[str, Any]) -> dict[str, Callable[..., Any]]:
    def get_current_user() -> Any:
        return env.get("user")

    def get_process_initiator_user() -> Any:
        return env.get("initiator")

    def get_toplevel_process_info() -> Any:
        return dict(env.get("process_info") or {})

    def get_frontend_url() -> str:
        return str(env.get("frontend_url") or "")

    def get_env() -> Any:
        return env.get("env_identifier")

    def get_url_for_task_with_bpmn_identifier(bpmn_identifier: str, public: bool = True) -> str:
        found = (env.get("task_urls") or {}).get(bpmn_identifier)
        if found is None:
            raise ValueError(
                f"no task a person completes has the bpmn identifier '{bpmn_identifier}' "
                "in this process"
            )
        return str(found)

    def get_last_user_completing_task(*args: Any, **kwargs: Any) -> Any:
        if len(args) == 2:
            process, task = args
        else:
            process, task = kwargs["bpmn_process_identifier"], kwargs["task_bpmn_identifier"]
        completers = env.get("completers") or {}
        key = f"{process}/{task}"
        if key not in completers:
            raise ValueError(
                f"get_last_user_completing_task: nobody has completed '{task}' of "
                f"'{process}' (the identifiers must be written in the script as text)"
            )
        return completers[key]

    return {
        "get_current_user": get_current_user,
        "get_process_initiator_user": get_process_initiator_user,
        "get_toplevel_process_info": get_toplevel_process_info,
        "get_frontend_url": get_frontend_url,
        "get_env": get_env,
        "get_url_for_task_with_bpmn_identifier": get_url_for_task_with_bpmn_identifier,
        "get_last_user_completing_task": get_last_user_completing_task,
    }
