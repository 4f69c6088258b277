"""Log reading for the panes and the `logs` command: files, supervisord's tail call, search.

UI-free; every call may block and belongs in a worker thread.
"""
