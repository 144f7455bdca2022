"""Catalogue section: dialog keys, the header's parts and the drafts list at 80 columns (issue 10).

Merged into ``i18n.MESSAGES``; same shape — key: (Korean, English).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- dialogs: the key each button answers to, on the button --------------------------
    "dlg.key_yes": ("y/enter", "y/enter"),
    "dlg.key_yes_only": ("y", "y"),
    "dlg.key_no": ("n/esc", "n/esc"),
    "dlg.key_no_default": ("n/esc/enter", "n/esc/enter"),
    "dlg.submit": ("enter 확인", "enter OK"),
    "dlg.cancel": ("esc 취소", "esc Cancel"),
    "dlg.close": ("esc/q 닫기", "esc/q Close"),
    "dlg.scroll_hint": ("↑↓ 스크롤", "↑↓ scroll"),
    # -- header: the save state when a save failed (the banner below says why) ----------
    "hdr.save_failed": ("저장 실패", "save failed"),
    "hdr.conflict": ("충돌: 저장 멈춤", "conflict: not saving"),
    # -- drafts list ---------------------------------------------------------------------
    "home.copy": ("사본", "copy"),
    "home.recovered": ("복구본", "recovery copy"),
    "home.same_key": ("같은 키", "same key"),
    "home.file": ("{saved} 저장 · {name}", "saved {saved} · {name}"),
    "age.now": ("방금", "just now"),
    "age.minutes": ("{n}분 전", "{n} min ago"),
    "age.hours": ("{n}시간 전", "{n} h ago"),
    "age.days": ("{n}일 전", "{n} d ago"),
}
