"""The undo histories without a screen: a one-line field's word steps, the draft's last changes."""

from __future__ import annotations

from dataclasses import dataclass, field

from hotfix_tui.workflow.undo import ChangeHistory, LineHistory

TITLE = "MetalLB LoadBalancer IP 할당 실패"


class Line:
    """A one-line field as Input edits it: every change is a replacement of value[start:end]."""

    def __init__(self, value: str = ""):
        self.value = value
        self.cursor = len(value)
        self.history = LineHistory(value)

    def replace(self, text: str, start: int, end: int) -> None:
        before, cursor = self.value, self.cursor
        self.value = before[:start] + text + before[end:]
        self.cursor = start + len(text)
        self.history.edit(before, cursor, start, end, text, self.value)

    def type(self, text: str) -> None:
        for ch in text:
            self.replace(ch, self.cursor, self.cursor)

    def backspace(self, times: int = 1) -> None:
        for _ in range(times):
            self.replace("", self.cursor - 1, self.cursor)

    def undo(self) -> bool:
        state = self.history.undo(self.value, self.cursor)
        if state is not None:
            self.value, self.cursor = state
        return state is not None

    def redo(self) -> bool:
        state = self.history.redo(self.value, self.cursor)
        if state is not None:
            self.value, self.cursor = state
        return state is not None


def test_a_mistaken_replace_of_the_whole_title_is_one_undo_step():
    """Opening list: "the first key typed replaced the whole title … ctrl+z did not bring it back"."""
    line = Line(TITLE)
    line.replace("x", 0, len(TITLE))  # the selected title replaced by the first key
    line.type("yz")
    assert line.value == "xyz"
    assert line.undo() and line.value == "x"
    assert line.undo() and line.value == TITLE and line.cursor == len(TITLE)
    assert not line.undo()
    assert line.redo() and line.value == "x"


def test_typing_is_undone_a_word_at_a_time_and_redone():
    line = Line()
    line.type("hello world again")
    assert line.undo() and line.value == "hello world "
    assert line.undo() and line.value == "hello "
    assert line.undo() and line.value == ""
    assert not line.undo()
    assert line.redo() and line.value == "hello "
    assert line.redo() and line.value == "hello world "
    assert line.redo() and line.value == "hello world again"
    assert not line.redo()


def test_a_run_of_backspaces_is_one_step_and_differs_from_typing():
    line = Line("ingress-nginx")
    line.backspace(5)
    line.type("ctrl")
    assert line.value == "ingress-ctrl"
    assert line.undo() and line.value == "ingress-"
    assert line.undo() and line.value == "ingress-nginx"


def test_a_paste_and_a_moved_cursor_start_new_steps():
    line = Line("abc")
    line.replace("PASTED", 3, 3)  # more than one character: a step of its own
    line.type("x")
    line.cursor = 0  # the cursor moved: typing there is a new step
    line.type("y")
    assert line.value == "yabcPASTEDx"
    assert line.undo() and line.value == "abcPASTEDx"
    assert line.undo() and line.value == "abcPASTED"
    assert line.undo() and line.value == "abc"


def test_a_value_the_program_set_is_a_step_that_can_be_undone():
    line = Line("old")
    line.type("!")
    line.value, line.cursor = "restored", 8  # e.g. alt+z put a value into the widget
    assert line.undo() and line.value == "old!"
    assert line.undo() and line.value == "old"


def test_a_new_edit_forgets_redo_and_redo_after_a_change_does_nothing():
    line = Line("a")
    line.type(" b")
    line.undo()
    line.type("c")
    assert not line.redo() and line.value == "a c"
    line.undo()
    line.value = "changed by hand"
    assert not line.redo() and line.value == "changed by hand"


def test_the_line_history_is_bounded():
    line = Line()
    line.history = LineHistory("", limit=3)
    line.type("one two three four five ")
    steps = 0
    while line.undo():
        steps += 1
    assert steps == 3 and line.value == "one two "


def test_a_close_ends_the_step():
    line = Line()
    line.type("ab")
    line.history.close()  # the field lost focus
    line.type("cd")
    assert line.undo() and line.value == "ab"


# -- the draft's last changes ---------------------------------------------------------------


@dataclass
class Backlog:
    summary: str = TITLE
    labels: list = field(default_factory=lambda: ["hotfix"])
    urgent: bool = False


def test_a_burst_of_edits_to_one_field_is_one_entry_restored_in_the_target():
    backlog = Backlog()
    history = ChangeHistory(limit=20)
    widget = object()
    for value in ("x", "xy", "xyz"):  # every keystroke writes the field
        history.record(backlog, "summary", backlog.summary, value, label="summary", token=widget)
        backlog.summary = value
    assert len(history) == 1
    change = history.undo()
    assert change is not None and backlog.summary == TITLE
    assert change.old == TITLE and change.new == "xyz" and change.label == "summary"
    assert history.undo() is None


def test_moving_away_and_back_makes_a_new_entry_and_undo_walks_back():
    backlog = Backlog()
    history = ChangeHistory()
    w1, w2 = object(), object()
    history.record(backlog, "summary", backlog.summary, "a", label="summary", token=w1)
    backlog.summary = "a"
    history.close()  # focus left the field
    history.record(backlog, "labels", backlog.labels, ["hotfix", "ingress"], label="labels", token=w2)
    backlog.labels = ["hotfix", "ingress"]
    history.close()
    history.record(backlog, "summary", "a", "ab", label="summary", token=w1)
    backlog.summary = "ab"
    assert len(history) == 3
    assert history.undo().attr == "summary" and backlog.summary == "a"
    assert history.undo().attr == "labels" and backlog.labels == ["hotfix"]
    assert history.undo().attr == "summary" and backlog.summary == TITLE


def test_a_list_changed_in_place_later_keeps_its_old_value():
    backlog = Backlog()
    history = ChangeHistory()
    history.record(backlog, "labels", backlog.labels, ["x"], label="labels")
    old_list = backlog.labels
    backlog.labels = ["x"]
    old_list.append("mutated")
    history.undo()
    assert backlog.labels == ["hotfix"]


def test_no_op_writes_changes_edited_back_and_gone_targets_are_skipped():
    backlog = Backlog()
    history = ChangeHistory()
    history.record(backlog, "summary", TITLE, TITLE, label="summary")  # a program refilling a widget
    assert len(history) == 0
    history.record(backlog, "urgent", False, True, label="urgent", token=1)
    backlog.urgent = True
    history.record(backlog, "urgent", True, False, label="urgent", token=1)  # ticked, then unticked
    backlog.urgent = False
    gone = Backlog(summary="removed row")
    history.close()
    history.record(gone, "summary", "removed row", "edited", label="row", valid=lambda: False)
    gone.summary = "edited"
    assert history.undo() is None  # the row is gone, the tick is where it was
    assert backlog.urgent is False and gone.summary == "edited"


def test_the_draft_history_keeps_the_last_twenty_changes():
    history = ChangeHistory()
    rows = [Backlog(summary=f"s{i}") for i in range(25)]
    for row in rows:
        history.record(row, "summary", row.summary, row.summary + "!", label="row")
        row.summary += "!"
        history.close()
    restored = []
    while (change := history.undo()) is not None:
        restored.append(change.target)
    assert restored == rows[:4:-1]  # the newest 20, newest first
    assert rows[0].summary == "s0!" and rows[5].summary == "s5"


def test_recording_keeps_references_not_copies_of_text():
    """Per keystroke nothing is copied: the old string is the draft's own object."""
    backlog = Backlog(summary="x" * 50_000)
    history = ChangeHistory()
    history.record(backlog, "summary", backlog.summary, "y", label="summary", token=1)
    assert history._entries[-1].old is backlog.summary


# -- through a real terminal ----------------------------------------------------------------

def _summary_becomes(store, path, expected: str) -> str:
    """The summary on disk once autosave has written ``expected`` (or what it holds at the deadline)."""
    from .ptyapp import SAVE_TIMEOUT, wait_until

    try:
        wait_until(lambda: store.load(path).draft.backlog.summary == expected, SAVE_TIMEOUT, "")
    except AssertionError:
        pass  # the caller's assertion says what the disk holds instead
    return store.load(path).draft.backlog.summary


def test_the_terminal_delivers_ctrl_z_and_alt_z_and_the_draft_on_disk_gets_the_title_back(tmp_path):
    """Opening list: "the first key typed replaced the whole title, autosaved half a second
    later; ctrl+z did not bring it back" — through a pty: ctrl+z (0x1a) in the field and
    alt+z (ESC z, as xterm and tmux send it) after moving on each put the title back, and
    autosave writes it."""
    from hotfix_tui.store import DraftStore

    from .conftest import EXAMPLE
    from .ptyapp import START_TIMEOUT, open_in_pty, pty_env

    env, drafts = pty_env(tmp_path)
    store = DraftStore(drafts)
    # The example's Backlog is complete, so focus lands on its first field, the summary
    # (an empty required field would take it first).
    draft = DraftStore(EXAMPLE.parent).load(EXAMPLE).draft
    draft.id = "pty-undo"
    draft.phase = "backlog"
    draft.backlog.summary = TITLE
    path = store.create(draft).path
    app = open_in_pty(path, env, "문제 요약")  # first paint done; the summary field has focus (the first field)
    try:
        app.write("\x1b[F")  # End: the cursor after the title, whatever focusing selected
        app.wait_quiet(0.3, START_TIMEOUT)
        app.write("\x15")  # ctrl+u: the title deleted, as a mistaken key would
        assert _summary_becomes(store, path, "") == ""  # the mistake is autosaved
        app.type_text("oops")
        assert _summary_becomes(store, path, "oops") == "oops"
        app.write("\x1a")  # ctrl+z: "oops" goes
        app.write("\x1a")  # ctrl+z: the title comes back
        assert _summary_becomes(store, path, TITLE) == TITLE
        app.write("\x15")
        assert _summary_becomes(store, path, "") == ""
        app.type_text("again")
        assert _summary_becomes(store, path, "again") == "again"
        app.write("\t")  # moved on to the next field
        app.write("\x1bz")  # alt+z
        assert _summary_becomes(store, path, TITLE) == TITLE
    finally:
        app.close()
