"""The fleet: hosts that share one Redis, seen and controlled through their own workers.

Each worker publishes its supervisord process list and a one-line summary every collection
(`published`), and serves requests (actions, log reads) put in its own Redis list
(`requests`, `serve`); consoles read the lists and summaries (`console.core.feeds.fleet`) and
send requests (`client`). Everything on the wire is JSON parsed at one boundary (`wire`):
no pickle crosses from a console to a worker.
"""
