"""Errors that carry a one-line message meant for the user."""


class StackwatchError(Exception):
    """Base: the CLI prints str(exc) on one line and exits 2."""


class SourceUnavailable(StackwatchError):
    """A source (cache, database, supervisord) cannot be reached right now."""


class SchemaOutOfDate(StackwatchError):
    """The database schema is older than this version of stackwatch."""
