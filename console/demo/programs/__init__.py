"""Sample programs the demo runs under its own supervisord to make every screen come alive."""
