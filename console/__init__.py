"""stackwatch: a terminal console for stacks that run under supervisord."""

__version__ = "0.1.0"
