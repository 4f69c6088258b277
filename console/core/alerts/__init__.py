"""Alerts: rules from settings, a pure evaluator, silences, messages and their delivery."""
