"""What the app knows and how it learns it: the model of the sources, and the poller."""
