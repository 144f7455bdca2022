"""Adapters to the outside world (git, Jira, GitHub, terraform/kubectl); no Textual here."""
