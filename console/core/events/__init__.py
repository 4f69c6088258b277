"""Exact process events from supervisord: the listener, the capped stream, the move to the store."""
