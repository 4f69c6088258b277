"""Helpers shared by the tests: real services started privately per test session."""
