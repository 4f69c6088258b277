"""`stackwatch db upgrade|current`: the store's schema version."""

from __future__ import annotations

import argparse

from console.core.settings import LoadedSettings, mask_url

HELP = "database schema: upgrade, current"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["upgrade", "current"], help="what to do")


def run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from console.core.store.engine import current_revision, head_revision, make_engine, upgrade

    url = loaded.settings.resolved_database_url
    engine = make_engine(url)
    try:
        if args.action == "upgrade":
            before = current_revision(engine)
            upgrade(engine)
            after = current_revision(engine)
            verb = "already at" if before == after else f"upgraded from {before or 'empty'} to"
            print(f"{mask_url(url)}: {verb} {after}")
            return 0
        current, head = current_revision(engine), head_revision(engine)
        state = "current" if current == head else f"behind (needs {head})"
        print(f"{mask_url(url)}: schema {current or 'none'}, {state}")
        return 0 if current == head else 1
    finally:
        engine.dispose()
