"""Issue 8 in the wizard (Pilot): data is never terminal code (row 4), a megabyte field
stays out of the editors (row 13), exports are private and deliberate (row 15)."""

from __future__ import annotations

import io
import os
import stat

from rich.console import Console

from textual.widgets import DataTable, Input, TextArea

from hotfix_tui.model import FIELD_LIMIT_LINE, FIELD_LIMIT_TEXT, Draft
from hotfix_tui.screens.modals import ConfirmScreen, PromptScreen
from hotfix_tui.store import DraftStore
from hotfix_tui.widgets.preview import PREVIEW_LIMIT, Preview

from .helpers import focus, make_app, on_top, paste, settle, type_text, until

HOSTILE = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x1b]0;PWNED\x07 MetalLB \u202eevil"


def _draft(drafts_dir, phase: str = "backlog", **backlog) -> Draft:
    draft = Draft()
    draft.phase = phase
    for name, value in backlog.items():
        setattr(draft.backlog, name, value)
    return DraftStore(drafts_dir).create(draft)


def _toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _plain(renderable, width: int = 76) -> str:
    """What a Rich renderable prints, as text (the characters the terminal would receive)."""
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


def _preview_plain(app) -> str:
    return _plain(app.screen.query_one(Preview).query_one("#preview-body").content)


async def test_row4_hostile_summary_is_shown_with_visible_controls_everywhere(drafts_dir):
    """row 4: ESC]52 / ESC[2J / ESC]0;PWNED BEL in the summary: list, field, preview, toast show ␛, never ESC."""
    loaded = _draft(drafts_dir, summary=HOSTILE, problem="line\x1b[31m red\x9b", jira_key="T-1\x1b]0;X\x07")
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(DataTable)
        cells = [str(c) for c in table.get_row_at(0)]
        assert any("␛]52;c;" in c for c in cells), cells
        assert not any("\x1b" in c or "\x07" in c for c in cells)
        app.open_draft(loaded.path)
        await until(pilot, lambda: app.screen.query("#f-backlog--summary"), "the draft to open")
        await settle(pilot)
        summary = app.screen.query_one("#f-backlog--summary", Input)
        assert summary.value.startswith("␛]52;c;cm0gLXJmIH4=␇␛[2J␛]0;PWNED␇")
        assert "⟨U+202E⟩" in summary.value and "\x1b" not in summary.value
        problem = app.screen.query_one("#f-backlog--problem", TextArea)
        assert problem.text == "line␛[31m red\\x9b"
        await pilot.press("f2")  # the preview pane (80 columns: one pane at a time)
        await settle(pilot)
        shown = _preview_plain(app)
        assert "␛]0;PWNED␇" in shown and "\x1b" not in shown and "\x07" not in shown
        app.say(f"saved {HOSTILE}")
        await settle(pilot)
        assert "␛[2J" in _toasts(app)[-1] and "\x1b" not in _toasts(app)[-1]
        bar = _plain(app.screen.query_one("#context").content, 120)
        assert "T-1␛]0;X␇" in bar and "\x1b" not in bar


async def test_row4_typed_and_pasted_controls_are_stripped(drafts_dir):
    """row 4: controls typed or pasted into a field never reach the draft."""
    loaded = _draft(drafts_dir, summary="")
    app = make_app(drafts_dir, draft_path=loaded.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await focus(pilot, "f-backlog--summary")
        await paste(pilot, "Metal\x1b]0;PWNED\x07LB")
        await settle(pilot)
        assert app.loaded.draft.backlog.summary == "Metal]0;PWNEDLB"
        await focus(pilot, "f-backlog--problem")
        await paste(pilot, "a\x1b[2J\nb\u202e\tc\x9b")
        await settle(pilot)
        assert app.loaded.draft.backlog.problem == "a[2J\nb\tc"


async def test_row13_drafts_list_refuses_to_open_an_over_limit_draft_and_stays_usable(drafts_dir):
    """row 13: Enter on a draft with a 5 MB field says which field is over the limit and stays on the list."""
    from hotfix_tui.screens.home import HomeScreen

    huge = 'controller: {"level":"error","msg":"no available IPs"}\n' * 100_000
    _draft(drafts_dir, summary="MetalLB", problem=huge)
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await on_top(pilot, HomeScreen)
        assert isinstance(app.screen, HomeScreen) and app.loaded is None
        said = _toasts(app)[-1]
        assert "backlog.problem" in said and f"{len(huge):,}" in said and "hotfix validate" in said
        await pilot.press("n")  # the app still takes keys: a new draft opens
        await settle(pilot)
        assert app.loaded is not None and app.screen.PHASE == "triage"


async def test_row13_five_megabyte_field_opens_without_loading_it_and_stays_usable(drafts_dir):
    """row 13: a draft handed to the app with a 5 MB field (e.g. reloaded after a hand edit) opens with the
    field locked (not in a widget), says why, and the other fields take keys; the value is kept."""
    huge = ("kubectl logs 가나다 " * 50 + "\n") * 5_300  # > 5 MB of UTF-8
    assert len(huge.encode()) > 5_000_000
    loaded = _draft(drafts_dir, summary="MetalLB", problem=huge)
    store = DraftStore(drafts_dir)
    app = make_app(drafts_dir, draft_path=loaded.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        problem = app.screen.query_one("#f-backlog--problem", TextArea)
        assert len(problem.text) == 0 and problem.disabled
        notes = [str(label.render()) for label in app.screen.query(".oversize-note")]
        assert notes and f"{len(huge):,}" in notes[0] and f"{FIELD_LIMIT_TEXT:,}" in notes[0]
        assert any("backlog.problem" in t for t in _toasts(app))
        await focus(pilot, "f-backlog--summary")
        await pilot.press("end")
        await type_text(pilot, " 긴급")
        await settle(pilot)
        assert app.screen.query_one("#f-backlog--summary", Input).value == "MetalLB 긴급"
        # The preview shows the start of the text and says it is cut, never megabytes.
        await pilot.press("f2")
        await settle(pilot)
        shown = _preview_plain(app)
        assert len(shown) < PREVIEW_LIMIT + 2_000 and f"{PREVIEW_LIMIT:,}" in shown
        await pilot.press("ctrl+s")
        await settle(pilot)
    after = store.load(loaded.path).draft
    assert after.backlog.summary == "MetalLB 긴급"
    assert after.backlog.problem == huge  # untouched, not truncated, not lost


async def test_row13_input_beyond_the_limit_is_refused_and_said(drafts_dir):
    """row 13: pasting past a field's limit inserts what fits and says how much was not inserted."""
    loaded = _draft(drafts_dir, summary="")
    app = make_app(drafts_dir, draft_path=loaded.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await focus(pilot, "f-backlog--summary")
        await paste(pilot, "x" * (FIELD_LIMIT_LINE + 250))
        await settle(pilot)
        assert len(app.loaded.draft.backlog.summary) == FIELD_LIMIT_LINE
        assert any("250" in t and f"{FIELD_LIMIT_LINE:,}" in t for t in _toasts(app))
        await type_text(pilot, "y")
        await settle(pilot)
        assert len(app.loaded.draft.backlog.summary) == FIELD_LIMIT_LINE
        await focus(pilot, "f-backlog--problem")
        await paste(pilot, "z" * (FIELD_LIMIT_TEXT + 1_000))
        await settle(pilot)
        assert len(app.loaded.draft.backlog.problem) == FIELD_LIMIT_TEXT
        assert any("1,000" in t and f"{FIELD_LIMIT_TEXT:,}" in t for t in _toasts(app))


async def test_row15_export_is_private_beside_the_drafts_and_asks_before_overwriting(drafts_dir, tmp_path,
                                                                                      monkeypatch):
    """row 15: F5 writes 0600 into the exports folder (not the current folder) and asks before overwriting."""
    cwd = tmp_path / "repo"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    loaded = _draft(drafts_dir, summary="인증서 만료", jira_key="TERRAFORM-15")
    app = make_app(drafts_dir, draft_path=loaded.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await on_top(pilot, PromptScreen)
        assert isinstance(app.screen, PromptScreen)
        default = app.screen.query_one("#answer", Input).value
        assert default == str(drafts_dir.parent / "exports" / "TERRAFORM-15-jira-ticket.md")
        await pilot.press("enter")
        await settle(pilot)
        target = drafts_dir.parent / "exports" / "TERRAFORM-15-jira-ticket.md"
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
        assert list(cwd.iterdir()) == []
        first = target.read_text(encoding="utf-8")
        target.write_text("kept", encoding="utf-8")
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("enter")
        await on_top(pilot, ConfirmScreen)
        assert isinstance(app.screen, ConfirmScreen)  # overwrite?
        await pilot.press("n")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == "kept"
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == first


async def test_row15_export_inside_a_git_work_tree_asks_first(drafts_dir, tmp_path):
    """row 15: a path inside a git work tree (where `git add .` would stage it) is written only after a yes."""
    repo = tmp_path / "infra"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs").mkdir()
    loaded = _draft(drafts_dir, summary="인증서 만료")
    app = make_app(drafts_dir, draft_path=loaded.path)
    async with app.run_test(size=(80, 24)) as pilot:
        target = repo / "docs" / "ticket.md"
        for answer in ("n", "y"):
            await pilot.press("f5")
            await settle(pilot)
            await pilot.press("ctrl+u")
            await type_text(pilot, str(target))
            await pilot.press("enter")
            await on_top(pilot, ConfirmScreen)
            assert isinstance(app.screen, ConfirmScreen)
            assert str(repo) in str(app.screen.question)
            await pilot.press(answer)
            await settle(pilot)
            assert target.exists() == (answer == "y")
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


async def test_row4_command_and_server_output_is_shown_with_visible_controls():
    """row 4: command output in the log panel and server text in the step panel show ␛, never ESC."""
    from textual.app import App

    from hotfix_tui.widgets.command_log import CommandLog
    from hotfix_tui.widgets.step_panel import StepPanel

    class Host(App):
        def t(self, message_id, /, **fields):
            return message_id

        def compose(self):
            yield CommandLog(id="log")
            yield StepPanel("Jira \x1b]0;PWNED\x07", [], "retry", id="steps")

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        log = app.query_one("#log", CommandLog)
        log.post_message(CommandLog.Begin("plan", "terraform plan \x1b]0;PWNED\x07"))
        log.post_message(CommandLog.Batch([("stdout", "a\x1b[2Jb"), ("stderr", "c\x9bd")]))
        await settle(pilot)
        assert log.lines[-2:] == ["a␛[2Jb", "! c\\x9bd"]
        assert log.lines[0] == "$ terraform plan ␛]0;PWNED␇"
        assert "␛]0;PWNED␇" in _plain(log.query_one("#log-head").content)
        steps = app.query_one(StepPanel)
        steps.log_line("server said \x1b]52;c;cm0gLXJmIH4=\x07")
        assert steps.lines[-1] == "server said ␛]52;c;cm0gLXJmIH4=␇"
        assert steps.border_title == "Jira ␛]0;PWNED␇"
