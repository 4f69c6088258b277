"""`stackwatch demo`: a private, self-contained stack to try the console on."""
