"""The `stackwatch` command: global flags, then one subcommand per module in console.commands.

Each subcommand lives in `console/commands/<name>.py` and provides `HELP`, `add_arguments(parser)`
and `run(args, loaded) -> int`. Modules are imported only when their command runs, so
`stackwatch status` never pays for Textual.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence

from console import __version__
from console.core.errors import StackwatchError
from console.core.lean import skip_unused_drivers
from console.core.redact import redact
from console.core.settings import SettingsError, load_settings, parse_supervisor_urls

# name -> one-line help. The module console.commands.<name> implements it; `tui` is the default.
COMMANDS: dict[str, str] = {
    "tui": "open the console (the default)",
    "status": "every supervised program, like supervisorctl status",
    "hosts": "every host reporting to this Redis, worst first (the fleet)",
    "restart": "restart a program, a group (group:*) or all",
    "logs": "print or follow a program's log",
    "queues": "queue depths; exit 1 past a critical threshold",
    "collect": "run one collection in the foreground",
    "worker": "run the collection worker (huey consumer)",
    "events": "supervisord's process events: the listener (listen) or the recent ones",
    "doctor": "check every part of the stack and explain what is wrong",
    "alerts": "alerts firing and pending (exit 1 when one fires); test a target; silence one",
    "demo": "start a private demo stack and open the console on it",
    "db": "database schema: upgrade, current",
    "config": "print the effective settings and where each came from",
}
EXIT_OK, EXIT_FAILED, EXIT_UNREACHABLE = 0, 1, 2


def _module_name(command: str) -> str:
    return "console.commands." + command


def available_commands() -> list[str]:
    """Commands whose module exists in this installation."""
    return [name for name in COMMANDS if importlib.util.find_spec(_module_name(name))]


_VALUE_FLAGS = {"--config", "--redis-url", "--database-url", "--supervisor-url", "--host"}


def chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand named in argv (flag values skipped), so only its module is imported."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUE_FLAGS:
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stackwatch",
        description="A terminal console for application stacks under supervisord.",
        epilog="Exit codes: 0 ok, 1 a check failed, 2 cannot reach a source or bad usage.",
    )
    parser.add_argument("--version", action="version", version=f"stackwatch {__version__}")
    parser.add_argument("--config", metavar="FILE", help="settings file (TOML)")
    parser.add_argument("--redis-url", dest="redis_url", metavar="URL")
    parser.add_argument("--database-url", dest="database_url", metavar="URL")
    parser.add_argument(
        "--supervisor-url", dest="supervisor_url", metavar="URL", help="URL or name=url,name=url"
    )
    parser.add_argument("--host", dest="host", help="host name to record and show")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--read-only", dest="read_only", action="store_const", const=True)
    mode.add_argument(
        "--write",
        dest="read_only",
        action="store_const",
        const=False,
        help="allow actions even when the settings say read_only",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in available_commands():
        command_parser = sub.add_parser(name, help=COMMANDS[name], description=COMMANDS[name])
        if only is None or name == only:  # importing every command costs `status` ~30 ms
            importlib.import_module(_module_name(name)).add_arguments(command_parser)
    return parser


def _flags(args: argparse.Namespace) -> dict:
    flags = {
        "redis_url": args.redis_url,
        "database_url": args.database_url,
        "host": args.host,
        "read_only": args.read_only,
    }
    if args.supervisor_url:
        flags["supervisors"] = parse_supervisor_urls(args.supervisor_url)
    return flags


_TIME_FLAGS = ("--at", "--since")


def _glue_times(argv: list[str]) -> list[str]:
    """`--at -2h` as `--at=-2h`: argparse takes a value starting with '-' for a flag."""
    out: list[str] = []
    for arg in argv:
        if out and out[-1] in _TIME_FLAGS and arg[:1] == "-" and arg[1:2].isdigit():
            out[-1] = f"{out[-1]}={arg}"
        else:
            out.append(arg)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    own_process = argv is None
    argv = _glue_times(sys.argv[1:] if argv is None else list(argv))
    parser = build_parser(only=chosen_command(argv) or "tui")
    args = parser.parse_args(argv)
    command = args.command or "tui"
    try:
        loaded = load_settings(args.config, flags=_flags(args))
        if own_process:  # this process is ours alone (tests call main(argv) in theirs)
            skip_unused_drivers(loaded.settings.resolved_database_url)
        if not importlib.util.find_spec(_module_name(command)):
            print(f"stackwatch: the {command} command is not available yet", file=sys.stderr)
            return EXIT_UNREACHABLE
        module = importlib.import_module(_module_name(command))
        return int(module.run(args, loaded) or 0)
    except SettingsError as exc:
        if command == "doctor":  # doctor reports bad settings as its own failed check
            return importlib.import_module(_module_name(command)).settings_failed(args, exc)
        print(f"stackwatch: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except StackwatchError as exc:
        print(f"stackwatch: {redact(str(exc))}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a data dir or file we cannot create or open: one line, no traceback
        print(f"stackwatch: {redact(str(exc))}", file=sys.stderr)
        return EXIT_UNREACHABLE
