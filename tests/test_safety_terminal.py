"""Issue 8 through real processes and a real pty: data never reaches the terminal as code
(row 4), over-limit fields are reported (row 13), and bare `hotfix` without a terminal
exits at once (row 19)."""

from __future__ import annotations

import subprocess

import pytest

from hotfix_tui.model import FIELD_LIMIT_TEXT, Draft
from hotfix_tui.store import DraftStore
from hotfix_tui.textsafe import strip_controls, visible, visible_line

from .ptyapp import ptyharness


# The attack of row 4: set the clipboard to "rm -rf ~" (OSC 52), clear the screen, retitle the window.
CLIPBOARD = b"\x1b]52;c;cm0gLXJmIH4="
TITLE = b"\x1b]0;PWNED"
HOSTILE = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x1b]0;PWNED\x07 MetalLB IP 할당 실패"
START_TIMEOUT = 30.0
EXIT_TIMEOUT = 30.0


@pytest.fixture
def hostile(tmp_path):
    """A draft whose summary holds the attack, in the Backlog phase, and the env that finds it."""
    drafts = tmp_path / "drafts"
    env = ptyharness.base_env(tmp_path / "home", HOTFIX_TUI_DRAFTS=str(drafts))
    draft = Draft()
    draft.phase = "backlog"
    draft.backlog.summary = HOSTILE
    loaded = DraftStore(drafts).create(draft)
    return loaded.path, env


def _run_in_pty(argv, env) -> bytes:
    app = ptyharness.PtyApp(argv, env, rows=24, cols=120)
    try:
        assert app.wait_exit(EXIT_TIMEOUT) == 0
        app._reader.join(5)
        return bytes(app.buffer)
    finally:
        app.close()


def test_visible_shows_controls_and_bidi_and_keeps_clean_text_identical():
    assert visible("a\x1b[2Jb\x07\x7f\x9b\u202ec\td\ne") == "a␛[2Jb␇␡\\x9b⟨U+202E⟩c\td\ne"
    clean = "제목: [HOTFIX] MetalLB\n\t- 항목\n"
    assert visible(clean) is clean
    assert visible_line("a\nb") == "a⏎b"
    assert strip_controls("a\x1b]0;x\x07b\u2066\tc\n") == "a]0;xb\tc\n"


def test_row4_render_and_list_to_a_terminal_show_controls_never_send_them(hostile):
    """row 4: `hotfix render` and `hotfix list` on a pty: ␛ is shown, no ESC from the data is written."""
    path, env = hostile
    rendered = _run_in_pty(ptyharness.hotfix_argv("render", str(path), "jira-title"), env)
    assert b"\x1b" not in rendered and b"\x07" not in rendered
    assert "␛]52;c;cm0gLXJmIH4=␇␛[2J␛]0;PWNED␇".encode() in rendered
    listed = _run_in_pty(ptyharness.hotfix_argv("list"), env)
    assert b"\x1b" not in listed and b"\x07" not in listed
    assert "␛]0;PWNED␇".encode() in listed


def test_row4_render_to_a_pipe_is_byte_exact(hostile, example_path, tmp_path):
    """row 4: to a pipe `render` prints the exact text (scripts get the data; clean drafts unchanged)."""
    path, env = hostile
    piped = subprocess.run(ptyharness.hotfix_argv("render", str(path), "jira-title"), env=env,
                           capture_output=True, timeout=60)
    assert piped.returncode == 0
    assert piped.stdout == f"[HOTFIX] {HOSTILE}\n".encode()
    seed = subprocess.run(ptyharness.hotfix_argv("render", str(example_path), "commit"), env=env,
                          capture_output=True, timeout=60)
    from hotfix_tui.render import RenderContext, render

    assert seed.stdout == render(DraftStore(tmp_path).load(example_path).draft, "commit",
                                 RenderContext()).encode()


def test_row4_list_to_a_pipe_shows_controls_too(hostile):
    """row 4: `hotfix list | less -R` reaches a terminal as well: list never passes controls on."""
    _path, env = hostile
    piped = subprocess.run(ptyharness.hotfix_argv("list"), env=env, capture_output=True, timeout=60)
    assert piped.returncode == 0
    assert b"\x1b" not in piped.stdout and b"\x07" not in piped.stdout
    assert "␛]0;PWNED␇".encode() in piped.stdout


def test_row4_wizard_never_writes_the_attack_to_the_terminal(hostile):
    """row 4: the wizard on the hostile draft (real pty): the OSC 52 and title sequences are never written."""
    path, env = hostile
    app = ptyharness.PtyApp(ptyharness.hotfix_argv("open", str(path)), env, rows=24, cols=80)
    try:
        app.wait_for_text("PWNED", START_TIMEOUT)  # the summary field shows it, made visible
        app.wait_quiet(0.5, START_TIMEOUT)
        app.write(b"\x1b[12~")  # F2: the preview pane
        app.wait_quiet(0.5, START_TIMEOUT)
        app.write(b"\x11")  # ctrl+q
        app.wait_exit(EXIT_TIMEOUT)
        data = bytes(app.buffer)
    finally:
        app.close()
    assert CLIPBOARD not in data and TITLE not in data
    assert "␛]0;PWNED".encode() in data


# A log excerpt full of quotes, as pasted from kubectl: the round-trip TOML parser slows
# down with every quote in a long string, which is what made row 13 take ~45 s to open.
QUOTED = 'controller: {"level":"error","msg":"IP allocation failed","reason":"no available IPs"}\n'


@pytest.fixture
def huge_draft(tmp_path):
    """A draft whose problem description is 5 MB of quoted log lines, and the env that finds it."""
    drafts = tmp_path / "drafts"
    env = ptyharness.base_env(tmp_path / "home", HOTFIX_TUI_DRAFTS=str(drafts))
    draft = Draft()
    draft.phase = "backlog"
    draft.backlog.summary = "MetalLB"
    draft.backlog.problem = QUOTED * (5_000_000 // len(QUOTED) + 1)
    path = DraftStore(drafts).create(draft).path
    return path, env, len(draft.backlog.problem)


def test_row13_validate_reports_an_over_limit_field(huge_draft):
    """row 13: `hotfix validate` names a field over its size limit (its size and the limit) and exits 1."""
    path, env, size = huge_draft
    done = subprocess.run(ptyharness.hotfix_argv("validate", str(path)), env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    line = next(line for line in done.stdout.splitlines() if "backlog.problem" in line and f"{size:,}" in line)
    assert f"{FIELD_LIMIT_TEXT:,}" in line


def test_row13_open_refuses_an_over_limit_draft_at_once_and_leaves_it_untouched(huge_draft):
    """row 13: `hotfix open` on a 5 MB field (real pty) exits 2 naming the field, size and limit; file unchanged."""
    path, env, size = huge_draft
    before = path.read_bytes()
    app = ptyharness.PtyApp(ptyharness.hotfix_argv("open", str(path)), env, rows=24, cols=200)
    try:
        code = app.wait_exit(EXIT_TIMEOUT)  # a deadline against a hang; on c6e794a it took minutes
        shown = app.text()
    finally:
        app.close()
    assert code == 2
    assert "backlog.problem" in shown and f"{size:,}" in shown and f"{FIELD_LIMIT_TEXT:,}" in shown
    assert "hotfix validate" in shown
    assert path.read_bytes() == before


@pytest.mark.parametrize("args", [(), ("open", "anything")])
def test_row19_bare_hotfix_without_a_terminal_exits_2_with_one_line(tmp_path, args):
    """row 19: `hotfix` / `hotfix open` with stdin not a TTY exits 2 at once, pointing at the subcommands."""
    env = ptyharness.base_env(tmp_path / "home", HOTFIX_TUI_DRAFTS=str(tmp_path / "drafts"))
    env["HOTFIX_TUI_CONFIG"] = ""
    done = subprocess.run(ptyharness.hotfix_argv(*args), env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "hotfix list" in lines[0] and "hotfix render" in lines[0]
    assert done.stdout == ""


def test_row13_limits_cover_row_cells_and_lists():
    """row 13: a timeline text over the single-line limit and a list over the multi-line limit are findings."""
    from hotfix_tui.model import FIELD_LIMIT_LINE, Event
    from hotfix_tui.render import RenderContext
    from hotfix_tui.workflow.validation import validate

    draft = Draft()
    draft.timeline.append(Event(text="x" * (FIELD_LIMIT_LINE + 1)))
    draft.backlog.fix_plan = ["y" * 30_000, "z" * 30_000]
    found = {f.field: f for f in validate(draft, RenderContext()) if f.code == "limit.validate"}
    assert set(found) == {"timeline[0].text", "backlog.fix_plan"}
    assert found["timeline[0].text"].phase == "post" and found["backlog.fix_plan"].phase == "backlog"
