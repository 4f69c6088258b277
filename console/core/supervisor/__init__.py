"""The supervisord client: allow-listed XML-RPC with deadlines, process dataclasses, actions.

Import the submodules (`client`, `actions`, `poll`, `models`); this package file imports
nothing, so the TUI can use `models` without pulling in xmlrpc or psutil.
"""
