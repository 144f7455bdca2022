"""Catalogue section: row lists (test items, follow-ups, the timeline), their dialog, the §10 pane's keys.

Merged into ``i18n.MESSAGES``; same shape — key: (Korean, English). ``key.*`` are footer
descriptions of the lists' own keys (widgets/rows.py, widgets/checklist_panel.py),
``rows.*`` the lists' titles, dialog labels and questions.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- keys, as the footer shows them while a list has focus --------------------------------
    "key.row_tick": ("체크", "Tick"),
    "key.row_edit": ("편집", "Edit"),
    "key.row_add": ("추가", "Add"),
    "key.row_remove": ("삭제", "Remove"),
    "key.tl_add": ("지금 추가", "Add now"),
    "key.tl_backdate": ("시각 지정 추가", "Add backdated"),
    "key.tl_milestone": ("RCA 표시", "Milestone"),
    "key.cl_tick": ("체크", "Tick"),
    "key.cl_back": ("입력으로", "Back to form"),
    "rows.cl_auto": ("자동", "auto"),  # a §10 item the app ticked, before its time and reason
    # -- lists ----------------------------------------------------------------------------------
    "rows.verify_items": ("필수 테스트 항목 (§5.1)", "Required tests (§5.1)"),
    "rows.pr_tests": ("테스트 결과 (§6.2)", "Test results (§6.2)"),
    "rows.followups": ("Follow-up 백로그 (§8.2)", "Follow-up tickets (§8.2)"),
    "rows.timeline": ("타임라인", "Timeline"),
    "rows.empty": ("(항목 없음 · a: 추가)", "(no rows · a: add)"),
    "rows.timeline_empty": ("(사건 없음 · a: 지금 추가, b: 시각 지정 추가)", "(no events · a: add now, b: add backdated)"),
    # -- the row dialog --------------------------------------------------------------------------
    "rows.edit": ("편집", "edit"),
    "rows.add": ("추가", "add"),
    "rows.add_now": ("지금 추가", "add now"),
    "rows.add_backdated": ("시각 지정 추가", "add backdated"),
    "rows.save": ("저장", "Save"),
    "rows.cancel": ("취소", "Cancel"),
    "rows.f_text": ("항목", "Item"),
    "rows.f_note": ("비고", "Note"),
    "rows.f_summary": ("요약", "Summary"),
    "rows.f_kind": ("유형", "Kind"),
    "rows.f_description": ("설명", "Description"),
    "rows.f_key": ("티켓 키", "Ticket key"),
    "rows.f_time": ("시각", "Time"),
    "rows.f_event": ("사건", "Event"),
    "rows.ph_time": ("예: 14:30 또는 2025-10-19 14:30", "e.g. 14:30 or 2025-10-19 14:30"),
    "rows.remove_q": ("이 줄을 삭제할까요?\n{row}", "Remove this row?\n{row}"),
    "rows.remove_yes": ("삭제", "Remove"),
}
