"""E-mail delivery from the outbox."""
