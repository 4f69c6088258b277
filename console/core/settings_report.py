"""How the settings are reported: `stackwatch config`'s rows (secrets masked, text sanitized)
and the STACKWATCH_* variables that no setting reads (doctor warns about them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields

from console.core.redact import mask_url
from console.core.sanitize import clean
from console.core.settings import ENV_PREFIX, LoadedSettings, Settings
from console.core.settings_check import RULES


def unknown_variables(env: Mapping[str, str]) -> list[tuple[str, str | None]]:
    """STACKWATCH_* variables no setting reads (a typo is silently ignored otherwise), each
    with the nearest real name."""
    import difflib

    known = {ENV_PREFIX + name.upper() for name in RULES} | {
        ENV_PREFIX + suffix
        for suffix in ("CONFIG", "SUPERVISOR_URL", "SUPERVISOR_USERNAME", "SUPERVISOR_PASSWORD")
    }
    found = []
    for var in sorted(env):
        if (
            var.startswith(ENV_PREFIX)
            and var not in known
            and not var.startswith("STACKWATCH_TEST_")
        ):
            suffixes = sorted(name[len(ENV_PREFIX) :] for name in known)
            near = difflib.get_close_matches(var[len(ENV_PREFIX) :], suffixes, n=1)
            found.append((var, ENV_PREFIX + near[0] if near else None))
    return found


def describe(loaded: LoadedSettings) -> list[tuple[str, str, str]]:
    """(name, value, source) rows for `stackwatch config`, secrets masked."""
    rows = []
    settings = loaded.settings
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if f.name == "supervisors":
            shown = (
                ", ".join(
                    f"{e.name}={mask_url(e.url)}"
                    + (f" on {e.host}" if e.host else "")
                    + (f" (user {e.username}, password ***)" if e.password else "")
                    for e in value
                )
                or "(none)"
            )
        elif f.name in ("queues", "log_files"):
            shown = ", ".join(f"{item.name}" for item in value) or "(none)"
        elif f.name == "thresholds":
            shown = ", ".join(f"{k}={t.warning:g}/{t.critical:g}" for k, t in value.items())
        elif f.name == "keys":
            shown = ", ".join(f"{k}={v}" for k, v in value.items()) or "(defaults)"
        elif f.name == "redis_url":
            shown = mask_url(value) if value else "(none: embedded SQLite cache)"
        elif f.name == "alert_rules":
            shown = ", ".join(r.name + ("" if r.enabled else " (off)") for r in value)
        elif f.name == "alerts_notify":
            from console.core.redact import mask_target

            shown = ", ".join(mask_target(t) for t in value) or "(none: shown in the console only)"
        elif f.name == "database_url":
            shown = mask_url(settings.resolved_database_url)
        else:
            shown = str(value)
        rows.append((f.name, clean(shown), clean(loaded.sources.get(f.name, "default"))))
    return rows
