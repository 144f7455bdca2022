"""One catalogue: every key in Korean and English, the same fields in both, every literal key used exists."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from hotfix_tui.i18n import LANGUAGES, MESSAGES, tr
from hotfix_tui.workflow.checklist import ITEMS

PACKAGE = Path(__file__).resolve().parent.parent / "hotfix_tui"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_korean_and_english_with_the_same_fields():
    bad = []
    for key, pair in MESSAGES.items():
        if not (isinstance(pair, tuple) and len(pair) == len(LANGUAGES) and all(isinstance(t, str) and t.strip()
                                                                                 for t in pair)):
            bad.append(f"{key}: not a (Korean, English) pair of texts")
            continue
        ko, en = pair
        if _fields(ko) != _fields(en):
            bad.append(f"{key}: fields {_fields(ko)} vs {_fields(en)}")
    assert bad == []


def _literal_keys() -> dict[str, str]:
    """Keys passed as a literal to ``tr(...)``, ``t(...)`` or ``self.t(...)`` anywhere in the package."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "i18n" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            first = node.args[0]
            if name in ("tr", "t") and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found[first.value] = f"{path.relative_to(PACKAGE)}:{node.lineno}"
    return found


def test_every_key_the_code_names_is_in_the_catalogue():
    used = _literal_keys()
    assert len(used) > 200  # the scan sees the app's words
    missing = {key: where for key, where in used.items() if key not in MESSAGES}
    assert missing == {}


def test_checklist_items_and_their_auto_tick_reasons_come_from_the_catalogue():
    """'checklist.Item.ko/en (auto-tick reasons hard-coded in Korean, so English users see Korean)'."""
    for item in ITEMS:
        assert item.label("en") == tr(f"item.{item.id}", "en") != tr(f"item.{item.id}", "ko")
        if item.auto is not None:
            assert f"cl.{item.id}" in MESSAGES
        assert not hasattr(item, "ko") and not hasattr(item, "en")


def test_status_words_have_one_helper_used_by_the_log_panel_and_the_cli():
    """'checks_cli._STATUS_WORDS' (issue 11, words in five places): passed / failed /
    cancelled become words through one helper in the catalogue, in the log panel, the
    check rows and `hotfix check` alike."""
    import inspect

    from hotfix_tui import checks_cli
    from hotfix_tui.i18n import status_word
    from hotfix_tui.widgets import command_log

    assert status_word("passed", "en") == "passed" and status_word("passed", "ko") == "통과"
    assert status_word("cancelled", "en") == "cancelled" and status_word("cancelled") == "취소"
    assert status_word("failed", lambda key: tr(key, "en")) == "failed"  # through a screen's t
    assert status_word("weird") == "weird"  # a status the catalogue does not know is shown as it is
    assert not hasattr(command_log, "status_text")
    assert not hasattr(checks_cli, "_status_word") and not hasattr(checks_cli, "_STATUS_WORDS")
    for module in (checks_cli, command_log):
        assert 'f"st.{' not in inspect.getsource(module), module.__name__
