"""A feed asked for a past time (`as_of` not None) answers with this reason until the timeline
work reads the store and the event log for it."""

NO_HISTORY_VIEW = "history view not available"
