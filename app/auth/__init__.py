"""People and organisations: accounts, roles, login and logout."""
