"""Catalogue section: sentences for the remote steps done by the wizard: Jira, git, GitHub (§2-§7).

Merged into ``i18n.MESSAGES``; same shape — key: (Korean, English).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
