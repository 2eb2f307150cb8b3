"""The organisation's pages: login and logout, the user's own API tokens, the administration of units and users."""
