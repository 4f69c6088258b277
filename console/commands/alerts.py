"""`stackwatch alerts [--json]`: the alerts firing and pending on a host, as the worker last
evaluated them. Exit 0 none firing, 1 one or more firing (silenced ones do not count), 2 cannot
tell (the cache is down, or the worker has not evaluated the rules lately).

`stackwatch alerts test [TARGET]` sends a test message to TARGET, or to every configured
target; `stackwatch alerts silence MATCH --for 2h --reason "..."` silences an alert (its
fingerprint) or a rule (its name), audited.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from console.commands.host_option import add_host_argument, chosen_host
from console.core.settings import LoadedSettings

HELP = "alerts firing and pending (exit 1 when one fires); test a target; silence one"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        choices=("show", "test", "silence"),
        default="show",
        help="show (default), test: send a test message, silence: silence an alert or rule",
    )
    parser.add_argument(
        "what",
        nargs="?",
        metavar="TARGET|MATCH",
        help="test: the target URL (default: every configured one); "
        "silence: a fingerprint or a rule name",
    )
    parser.add_argument("--json", action="store_true", help="show: print JSON")
    parser.add_argument(
        "--for",
        dest="duration",
        metavar="DURATION",
        default="1h",
        help="silence: how long (90s, 30m, 2h, 1d; default 1h)",
    )
    parser.add_argument("--reason", metavar="TEXT", help="silence: why (required)")
    add_host_argument(parser)


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    if args.action == "test":
        from console.commands.alerts_test import send_test

        return send_test(loaded.settings, args.what)
    from console.core.feeds import build_feeds

    feeds = build_feeds(loaded.settings)
    host = chosen_host(args, loaded.settings)
    try:
        if args.action == "silence":
            return _silence(feeds.alerts, host, args)
        return _show(feeds.alerts, host, args.json, loaded.settings.alerts_interval)
    finally:
        feeds.close()


def _silence(feed, host: str, args: argparse.Namespace) -> int:
    from console.core.alerts.rules import duration

    if not args.what or not args.reason:
        print("stackwatch: alerts silence needs MATCH and --reason", file=sys.stderr)
        return 2
    try:
        seconds = duration(args.duration)
    except ValueError as exc:
        print(f"stackwatch: --for {exc}", file=sys.stderr)
        return 2
    result = feed.silence(host, args.what, seconds, args.reason)
    print(result)
    return 2 if result.startswith("not silenced") else 0


def _show(feed, host: str, as_json: bool, interval: float) -> int:
    from console.core.alerts.view import line

    now = time.time()
    view = feed.view(host)
    problem = view.stale(now, interval)
    if as_json:
        print(
            json.dumps(
                {
                    "host": host,
                    "firing": view.firing,
                    "silenced": view.silenced,
                    "problem": problem,
                    "evaluated": view.evaluated,
                    "waiting_messages": view.waiting,
                    "alerts": [s.to_item() for s in view.states],
                    "silences": [s.to_item() for s in view.silences],
                }
            )
        )
    else:
        for state in view.states:
            print(line(state, now))
        for s in view.silences:
            print(
                f"silence {s.match} until {time.strftime('%H:%M', time.localtime(s.until))} "
                f"by {s.who}: {s.reason}"
            )
        if view.waiting:
            print(f"{view.waiting} messages waiting for a target that is down")
        if problem:
            print(f"stackwatch: cannot tell: {problem}", file=sys.stderr)
        elif not view.states:
            print(f"no alerts on {host}")
    if problem:
        return 2
    return 1 if view.firing else 0
