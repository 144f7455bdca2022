"""Catalogue section: sentences for terraform/kubectl checks, plan review, apply and monitoring (§4.1, §5, §7.3).

Merged into ``i18n.MESSAGES``; same shape — key: (Korean, English).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
