"""Issue 13, item 3 — hand-off: `hotfix handoff DRAFT` attaches the draft to its Jira ticket with a
status comment, and `hotfix open KEY` on a host without that draft fetches it back.

End to end through the real ``jira`` client and the loopback Jira (tests/servers/jira_server.py).
"""

from __future__ import annotations

import argparse
import io
import shutil

import pytest

from hotfix_tui import cli
from hotfix_tui.store import DraftStore

from .conftest import EXAMPLE
from .servers.jira_server import JiraServer

JIRA_TOKEN = "jira-SECRET-5c2e91d7"
KEY = "TERRAFORM-15"


@pytest.fixture
def world(tmp_path, monkeypatch):
    """The loopback Jira with TERRAFORM-15, a config for it, and host A's drafts folder with the
    MetalLB example (key TERRAFORM-15)."""
    jira = JiraServer(token=JIRA_TOKEN).start()
    assert jira.add_issue("[HOTFIX] MetalLB IP pool") == KEY
    config = tmp_path / "config.toml"
    config.write_text(f'[jira]\nurl = "{jira.origin}"\nuser = "oncall@example.com"\ntimeout = 5\n\n'
                      '[ui]\nlanguage = "en"\n', encoding="utf-8")
    monkeypatch.setenv("HOTFIX_TUI_CONFIG", str(config))
    monkeypatch.setenv("JIRA_API_TOKEN", JIRA_TOKEN)
    host_a = tmp_path / "host-a"
    host_a.mkdir()
    path = host_a / "metallb-example.toml"
    shutil.copyfile(EXAMPLE, path)
    monkeypatch.setenv("HOTFIX_TUI_DRAFTS", str(host_a))
    yield argparse.Namespace(jira=jira, config=config, path=path, host_a=host_a, host_b=tmp_path / "host-b",
                             tmp=tmp_path)
    jira.stop()


def on_host_b(world, monkeypatch) -> None:
    monkeypatch.setenv("HOTFIX_TUI_DRAFTS", str(world.host_b))


def files(folder) -> list[str]:
    return sorted(p.name for p in folder.glob("*.toml")) if folder.exists() else []


def test_round_trip_through_the_ticket(world, monkeypatch, capsys):
    """Acceptance: "hand-off round trip through the loopback Jira (attachment out, draft back,
    identical)" — `hotfix handoff DRAFT` attaches the draft (TOML as saved) with a comment saying
    where it stands; `hotfix open TERRAFORM-15 --fetch` on a host with no local draft saves it as a
    new local draft: identical bytes, equal model."""
    original = world.path.read_bytes()
    assert cli.main(["handoff", str(world.path)]) == 0
    [upload] = world.jira.calls("POST", f"issue/{KEY}/attachments")
    assert upload.headers["x-atlassian-token"] == "no-check"
    [attached] = world.jira.attachments[KEY]
    assert attached["filename"].startswith(f"hotfix-draft-{KEY}-") and attached["filename"].endswith(".toml")
    assert world.jira.attachment_data[attached["id"]] == original
    [comment] = world.jira.comments[KEY]
    body = comment["body"]
    assert attached["filename"] in body
    assert "*Current phase*: Post-incident" in body
    assert "*Phases done*: Triage, Backlog, Branch" in body
    assert "*Next*: every phase is done" in body
    assert f"hotfix open {KEY}" in body
    assert JIRA_TOKEN not in body

    on_host_b(world, monkeypatch)
    capsys.readouterr()
    assert cli.main(["open", KEY, "--fetch"]) == 0
    out = capsys.readouterr()
    [name] = files(world.host_b)
    fetched = world.host_b / name
    assert out.out.strip() == str(fetched)
    assert fetched.read_bytes() == original
    assert DraftStore(world.host_b).load(fetched).draft == DraftStore(world.host_a).load(world.path).draft


def test_comment_in_the_configured_language(world):
    """"a comment saying where it stands … in the configured language": Korean with [ui] language = "ko"."""
    world.config.write_text(world.config.read_text().replace('language = "en"', 'language = "ko"'))
    assert cli.main(["handoff", str(world.path)]) == 0
    [comment] = world.jira.comments[KEY]
    assert "*현재 단계*: 사후 처리" in comment["body"]


def test_dry_run_sends_nothing(world, capsys):
    """"`--dry-run` prints the requests and sends nothing.\""""
    assert cli.main(["handoff", str(world.path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"POST {world.jira.origin}/rest/api/2/issue/{KEY}/attachments" in out
    assert "X-Atlassian-Token: no-check" in out
    assert f"POST {world.jira.origin}/rest/api/2/issue/{KEY}/comment" in out
    assert world.jira.requests == []
    assert world.jira.attachments == {}


def test_no_key_is_one_message(world, capsys):
    """"no key in the draft → one message" (exit 1, nothing sent)."""
    text = world.path.read_text(encoding="utf-8").replace(f'jira_key = "{KEY}"', 'jira_key = ""')
    world.path.write_text(text, encoding="utf-8")
    assert cli.main(["handoff", str(world.path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no Jira key" in err[0]
    assert world.jira.requests == []


def test_a_token_in_the_draft_is_refused(world, capsys):
    """"tokens are never in drafts — assert it, and refuse with one message if a value looks like a
    configured token": the token pasted into the problem text is not uploaded, nor printed."""
    store = DraftStore(world.host_a)
    loaded = store.load(world.path)
    loaded.draft.backlog.problem += f"\nauth header was Bearer {JIRA_TOKEN}"
    store.save(loaded)
    assert cli.main(["handoff", str(world.path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "JIRA_API_TOKEN" in err[0] and "backlog.problem" in err[0]
    assert JIRA_TOKEN not in err[0]
    assert world.jira.calls("POST") == []


def test_unreachable_server_exits_2(world, capsys):
    """"unreachable server exit 2": nothing attached, one message naming the server."""
    origin = world.jira.origin
    world.jira.stop()
    assert cli.main(["handoff", str(world.path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and origin in err[0]


def test_open_without_a_terminal_asks_for_fetch(world, monkeypatch, capsys):
    """"non-interactive stdin: print what would be fetched and exit 1 with the command to confirm"."""
    assert cli.main(["handoff", str(world.path)]) == 0
    on_host_b(world, monkeypatch)
    capsys.readouterr()
    assert cli.main(["open", KEY]) == 1
    err = capsys.readouterr().err
    assert "hotfix-draft-TERRAFORM-15-" in err and f"hotfix open {KEY} --fetch" in err
    assert files(world.host_b) == []
    assert world.jira.calls("GET", "/secure/attachment/") == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("answer, saved", [("y\n", 1), ("\n", 0)])
def test_open_on_a_terminal_asks_y_n(world, monkeypatch, capsys, answer, saved):
    """"In the terminal … the offer is a y/N question on stdin": y fetches, anything else does not."""
    assert cli.main(["handoff", str(world.path)]) == 0
    on_host_b(world, monkeypatch)
    monkeypatch.setattr("sys.stdin", _Terminal(answer))
    code = cli.main(["open", KEY])
    assert "[y/N]" in capsys.readouterr().err
    assert len(files(world.host_b)) == saved
    assert code == (0 if saved else 1)


def test_fetch_never_overwrites_and_takes_the_newest(world, monkeypatch):
    """"finds the newest attachment named like a hotfix draft … never overwriting an existing file".
    Host B holds another draft whose file name is the fetched draft's id: it stays as it was."""
    import datetime as dt

    old = EXAMPLE.read_bytes().replace(b'phase = "post"', b'phase = "pr"')
    past = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    world.jira.add_attachment(KEY, f"hotfix-draft-{KEY}-20260101-000000.toml", old, created=past)
    world.jira.add_attachment(KEY, "notes.toml", b"schema = 1\n")
    assert cli.main(["handoff", str(world.path)]) == 0
    world.host_b.mkdir()
    other = world.host_b / "metallb-example.toml"
    other.write_bytes(b"# someone else's file\n")
    on_host_b(world, monkeypatch)
    assert cli.main(["open", KEY, "--fetch"]) == 0
    assert other.read_bytes() == b"# someone else's file\n"
    new = world.host_b / "metallb-example-2.toml"
    loaded = DraftStore(world.host_b).load(new)
    assert loaded.draft.phase == "post" and loaded.draft.id == "metallb-example-2"


def test_no_draft_attachment_is_one_message(world, monkeypatch, capsys):
    """"If the ticket has no draft attachment: one message.\""""
    on_host_b(world, monkeypatch)
    assert cli.main(["open", KEY, "--fetch"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no hotfix draft attachment" in err[0]
    assert files(world.host_b) == []


HOSTILE = {
    "not TOML": b"<html><body>Sign in</body></html>\n",
    "not a draft": b"title = 'just TOML'\n",
    "control characters": EXAMPLE.read_bytes().replace(b'phase = "post"', b'phase = "post\x1b[2J"'),
    "another ticket": EXAMPLE.read_bytes().replace(b'jira_key = "TERRAFORM-15"', b'jira_key = "TERRAFORM-99"'),
    "huge": b"schema = 1\n" + b"# " + b"x" * (5 * 1024 * 1024) + b"\n",
}


@pytest.mark.parametrize("kind", list(HOSTILE))
@pytest.mark.parametrize("honest_size", [True, False])
def test_hostile_attachment_is_refused(world, monkeypatch, capsys, kind, honest_size):
    """"a hostile attachment (not TOML, huge, control characters) refused with one message and
    nothing written" — also when the listing under-states the size (the download stops at the limit)."""
    data = HOSTILE[kind]
    world.jira.add_attachment(KEY, f"hotfix-draft-{KEY}-20261204-000000.toml", data,
                              listed_size=None if honest_size else 100)
    on_host_b(world, monkeypatch)
    assert cli.main(["open", KEY, "--fetch"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nothing was written" in err[0], err
    assert "\x1b" not in err[0]
    assert not world.host_b.exists() or list(world.host_b.iterdir()) == []


def test_content_from_another_host_is_not_requested(world, monkeypatch, capsys):
    """The token goes with a download, so an attachment served from elsewhere is refused before any request."""
    from hotfix_tui.services.jira import Attachment, JiraService
    from hotfix_tui.config import load_config
    from hotfix_tui.services.errors import ServiceError

    service = JiraService(load_config(world.config, required=True).jira)
    evil = Attachment("1", f"hotfix-draft-{KEY}-1.toml", "", 10, "http://127.0.0.2:1/secure/attachment/1/x.toml")
    with pytest.raises(ServiceError, match="not from the configured Jira site"):
        service.download(evil, 100)
    assert world.jira.requests == []


def test_open_with_several_local_drafts_of_the_key_fetches_nothing(world, capsys):
    """The offer is for "a host with no local draft for that key": two local drafts of the key are
    resolve's ambiguity message (exit 2), and the ticket is not asked."""
    shutil.copyfile(EXAMPLE, world.host_a / "second.toml")
    assert cli.main(["open", KEY, "--fetch"]) == 2
    assert "matches several drafts" in capsys.readouterr().err
    assert world.jira.requests == []


def test_open_on_a_real_terminal_asks_then_opens_the_fetched_draft(world, tmp_path):
    """"`hotfix open TERRAFORM-16` on a host with no local draft for that key offers to fetch it
    from the ticket … In the terminal (not the TUI) the offer is a y/N question on stdin … then
    opens it": a real pty, y, and the wizard shows the fetched draft."""
    from .ptyapp import ptyharness

    assert cli.main(["handoff", str(world.path)]) == 0
    env = ptyharness.base_env(tmp_path / "home", HOTFIX_TUI_DRAFTS=str(world.host_b),
                              HOTFIX_TUI_CONFIG=str(world.config), JIRA_API_TOKEN=JIRA_TOKEN)
    app = ptyharness.PtyApp(ptyharness.hotfix_argv("open", KEY), env, rows=24, cols=80)
    try:
        app.wait_for_text("[y/N]", 60)
        assert files(world.host_b) == []
        start = app.size()
        app.write(b"y\r")
        app.wait_for_text("Post-incident", 60, start)  # the wizard, on the fetched draft's phase
        assert files(world.host_b) == ["metallb-example.toml"]
        app.write(b"\x11")  # ctrl+q
        assert app.wait_exit(60) == 0
    finally:
        app.close()


def test_a_token_in_a_comment_of_the_file_is_refused_too(world, capsys):
    """"tokens are never in drafts … refuse with one message if a value looks like a configured
    token": the file is attached as saved, so a token in a TOML comment is refused as well."""
    world.path.write_bytes(f"# curl -H 'Authorization: Bearer {JIRA_TOKEN}'\n".encode() + world.path.read_bytes())
    assert cli.main(["handoff", str(world.path), "--dry-run"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "(file text)" in err[0] and JIRA_TOKEN not in err[0]
