"""hotfix-tui: a terminal wizard for the team's production hotfix workflow."""

__version__ = "0.1.0"
