"""80x24 first (issue 10, item 5): every dialog shows its buttons and keys, messages wrap
instead of being cut, the header gives each part its room, and the drafts list tells
copies apart.

The opening-list bullet these tests prove:

    "At 80x24 the commit confirmation shows no buttons (only `y`/`n` work, unsaid), error
    hints are cut off ("set [terraform] dir in config.toml" never fully visible), the
    header runs together (`TERRAFORM-16저장 안 됨`), and the drafts list shows only key and
    title, so a draft and its conflict copy look identical."

The first tests read the screen as the terminal shows it (the compositor's lines); the
snapshot tests at the end keep every dialog and error state at 80x24 from regressing.
Every app runs on the fixed clock (FIXED_NOW) and every draft file's time is set from it.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import shutil

from rich.cells import cell_len

from hotfix_tui.config import Config, JiraConfig, KubectlConfig, TerraformConfig, UiConfig
from hotfix_tui.model import Draft
from hotfix_tui.screens.modals import ConfirmScreen, HelpScreen, PromptScreen
from hotfix_tui.services import Services
from hotfix_tui.store import DraftConflictError, DraftStore
from hotfix_tui.widgets.context_bar import ContextBar

from . import helpers
from .helpers import FIXED_NOW, TEST_ZONE, make_app, on_top, picture, settle, until

# The drafts here carry key TERRAFORM-16 unless a test names another.
example_at = functools.partial(helpers.example_at, key="TERRAFORM-16")

STAT = "\n".join(f" modules/metallb/{name}.tf | {n} +-" for n, name in enumerate(
    ["main", "variables", "outputs", "config", "pools", "speakers", "controller", "rbac",
     "crds", "values", "versions", "providers"], start=1)) + "\n 12 files changed, 40 insertions(+), 38 deletions(-)"
MESSAGE = ("[TERRAFORM-16] MetalLB IP 풀 범위 수정\n\nmetallb-config ConfigMap의 IP 범위가 DHCP 범위와 겹쳐 "
           "LoadBalancer 서비스가 EXTERNAL-IP를 받지 못했습니다.\n\nRefs: TERRAFORM-16")
HINT = "set [terraform] dir in config.toml"


def screen_lines(app) -> list[str]:
    """The top screen's rows as the terminal shows them (a modal: its own layer)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def shown_in(app, widget) -> str:
    """What ``widget``'s part of the screen shows, rows joined, spaces collapsed."""
    region = widget.region
    rows = screen_lines(app)[region.y:region.bottom]
    return " ".join(" ".join(row[region.x:region.right] for row in rows).split())



def commit_app(drafts_dir, example_path):
    """The commit phase with services (the step panel needs them); no kubectl is read."""
    config = Config(ui=UiConfig(timezone=TEST_ZONE), kubectl=KubectlConfig(context="kind-test"))
    return make_app(drafts_dir, config, services=Services.from_config(config),
                    draft_path=example_at(drafts_dir, example_path, "commit"))


def show_commit_question(app) -> None:
    """What the commit step shows after reading the staged diff (CommitScreen.confirm_commit)."""
    from hotfix_tui.workflow.steps import Prepared

    app.screen.confirm_commit(STAT, Prepared([], lambda _progress: None, text=MESSAGE))


# -- the bullet, part by part ------------------------------------------------------------


async def test_commit_confirmation_shows_its_buttons_and_keys_at_80x24(drafts_dir, example_path):
    """"At 80x24 the commit confirmation shows no buttons (only `y`/`n` work, unsaid)": with a
    12-file stat and a long message, both buttons are on screen and name their keys; the
    message scrolls above them; y/enter commit, n/esc do not."""
    app = commit_app(drafts_dir, example_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        show_commit_question(app)
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the commit question")
        await settle(pilot)
        dialog = app.screen
        text = "\n".join(screen_lines(app))
        assert "y/enter 커밋" in text and "n/esc 아니요" in text, text
        for button_id in ("#yes", "#no"):
            button = dialog.query_one(button_id)
            assert button.region.bottom <= 24 and dialog.query_one(".dialog").region.contains_region(button.region)
        message = dialog.query_one("#question")
        assert message.max_scroll_y > 0, "the long question scrolls"
        await pilot.press("down")
        assert message.scroll_y > 0, "↓ reads on while the focus stays on the buttons"
        answers = []
        await pilot.press("escape")
        app.push_screen(ConfirmScreen("?", "예", "아니요"), answers.append)
        await settle(pilot)
        await pilot.press("enter")
        app.push_screen(ConfirmScreen("?", "예", "아니요"), answers.append)
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert answers == [True, False]


async def test_every_dialog_keeps_its_keys_on_screen_with_a_long_message(drafts_dir, example_path):
    """The same for the other dialogs: a prompt with eight long problems (the override reason)
    keeps its field and "enter 확인 / esc 취소" visible; help keeps "esc/q 닫기"."""
    problems = "\n".join(f"• problem {n}: terraform folder /srv/infra/does/not/exist: {HINT} to the folder"
                         for n in range(8))
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "fix"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(PromptScreen(app.t("ov.reason_q", count=8, problems=problems)))
        await settle(pilot)
        text = "\n".join(screen_lines(app))
        assert "enter 확인" in text and "esc 취소" in text, text
        answer = app.screen.query_one("#answer")
        assert answer.has_focus and answer.region.bottom <= 24
        assert HINT in shown_in(app, app.screen.query_one(".message")), "problems wrap, not cut"
        await pilot.press("escape")
        await settle(pilot)
        app.push_screen(HelpScreen("\n".join(f"line {n}" for n in range(80))))
        await settle(pilot)
        assert "esc/q 닫기" in "\n".join(screen_lines(app))


async def test_the_terraform_hint_is_fully_visible_at_80_columns(drafts_dir, example_path, tmp_path):
    """"error hints are cut off ("set [terraform] dir in config.toml" never fully visible)":
    a check run against a missing terraform folder shows the whole hint, wrapped, in its row."""
    config = Config(ui=UiConfig(timezone=TEST_ZONE),
                    terraform=TerraformConfig(binary="terraform", dir=str(tmp_path / "no-such-folder")),
                    kubectl=KubectlConfig(context="kind-test"))
    app = make_app(drafts_dir, config, services=Services.from_config(config),
                   draft_path=example_at(drafts_dir, example_path, "fix"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await until(pilot, lambda: app.loaded.draft.checks.runs and app.loaded.draft.checks.runs[-1].status != "running",
                    "the fmt run ends")
        await app.workers.wait_for_complete()
        await settle(pilot)
        row = app.screen.query_one("#st-fmt")
        app.screen.query_one("#form").scroll_to_widget(row, animate=False)
        await settle(pilot)
        assert HINT in shown_in(app, row), shown_in(app, row)


async def test_the_header_separates_its_parts_and_never_cuts_key_or_save_state(drafts_dir, example_path):
    """"the header runs together (`TERRAFORM-16저장 안 됨`)": parts are separated by │; at 80
    columns the draft key, the save state and the clock stay whole (jira and gh go first,
    a long kube context is shortened); at 200 columns every part is there."""
    config = Config(ui=UiConfig(timezone=TEST_ZONE), jira=JiraConfig(url="https://jira.example.com"),
                    kubectl=KubectlConfig(context="arn-aws-eks-ap-northeast-2-prod-platform-cluster-blue"))
    app = make_app(drafts_dir, config, services=Services.from_config(config),
                   draft_path=example_at(drafts_dir, example_path, "triage"))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "arn-aws" in screen_lines(app)[0], "the configured context is shown")
        app.mark_dirty()
        app.screen.query_one(ContextBar).refresh_bar()
        await settle(pilot)
        top = screen_lines(app)[0]
        assert "TERRAFORM-16저장" not in top
        assert top.startswith(" TERRAFORM-16 │ kube: arn-aws-eks"), top
        assert re.search(r"│ 저장(됨| 안 됨) │ 14:52 KST $", top), top  # autosave may have run meanwhile
        assert "…" in top and cell_len(top) == 80
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        top = screen_lines(app)[0]
        for part in ("TERRAFORM-16 │ ", "kube: arn-aws-eks-ap-northeast-2-prod-platform-cluster-blue │ ",
                     "jira: TERRAFORM │ gh: -"):
            assert part in top, (part, top)
        assert re.search(r"│ 저장(됨| 안 됨) │ 14:52 KST $", top), top  # autosave may have run meanwhile


async def test_the_drafts_list_shows_phase_and_age_and_tells_a_conflict_copy_apart(drafts_dir, example_path):
    """"the drafts list shows only key and title, so a draft and its conflict copy look
    identical": each row shows key, phase, age ("3분 전") and title; the conflict copy (the
    real ctrl+r path, store.save_copy) is marked 사본 with its own file name and save time."""
    path = example_at(drafts_dir, example_path, "verify", age_seconds=180)
    store = DraftStore(drafts_dir)
    copy = store.save_copy(store.load(path))
    stamp = FIXED_NOW.timestamp() - 2 * 3600
    os.utime(copy, (stamp, stamp))
    app = make_app(drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_lines(app)
        assert all(cell_len(line) <= 80 for line in lines)
        table = "\n".join(lines[2:7])
        assert "TERRAFORM-16" in lines[3] and "검증" in lines[3] and "3분 전" in lines[3], table
        assert "MetalLB" in lines[3], table
        assert "14:49:00 저장 · metallb" in lines[4], table
        assert "2시간 전" in lines[5] and "[사본]" in lines[6] and "12:52:00 저장" in lines[6], table
        assert copy.stem[-6:] in lines[6], "the copy's own file name, cut in the middle if need be"
        assert lines[3:5] != lines[5:7]


# -- snapshots: every dialog and error state at 80x24 --------------------------------------


def test_snapshot_commit_confirm(snap_compare, drafts_dir, example_path):
    app = commit_app(drafts_dir, example_path)

    assert picture(snap_compare, app, lambda pilot: show_commit_question(pilot.app))


def test_snapshot_delete_confirm(snap_compare, drafts_dir, example_path):
    example_at(drafts_dir, example_path, "pr", age_seconds=600)
    app = make_app(drafts_dir)

    assert picture(snap_compare, app, "d")


def test_snapshot_override_reason_prompt(snap_compare, drafts_dir):
    """ctrl+n on a new draft's triage: the blocking problems, the reason field, its keys."""
    drafts_dir.mkdir()
    path = DraftStore(drafts_dir).create(Draft(id="new")).path
    app = make_app(drafts_dir, draft_path=path)

    assert picture(snap_compare, app, "ctrl+n", lambda pilot: on_top(pilot, PromptScreen, "the reason prompt"))


def test_snapshot_help(snap_compare, drafts_dir, example_path):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "fix"))

    assert picture(snap_compare, app, "f1")


def test_snapshot_lose_edits_confirm(snap_compare, drafts_dir, example_path):
    """Nothing can be written anywhere: staying is the default, and the buttons say so."""
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "triage"))

    def ask(pilot):
        pilot.app._ask_to_lose("/srv/drafts: [Errno 28] No space left on device", pilot.app.t("lost_quit"),
                               lambda answer: None)

    assert picture(snap_compare, app, ask)


def test_snapshot_error_findings(snap_compare, drafts_dir):
    """A new draft's backlog: the status line's first error and each field's finding wrap."""
    drafts_dir.mkdir()
    path = DraftStore(drafts_dir).create(Draft(id="new", phase="backlog")).path
    app = make_app(drafts_dir, draft_path=path)
    assert picture(snap_compare, app)


def test_snapshot_save_failed_banner(snap_compare, drafts_dir, example_path):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "backlog"))

    def fail(pilot):
        pilot.app.dirty = True  # what a failed autosave leaves
        pilot.app._set_problem(OSError(errno.ENOSPC, "No space left on device", "/srv/drafts/metallb.toml"))

    assert picture(snap_compare, app, fail)


def test_snapshot_conflict_banner(snap_compare, drafts_dir, example_path):
    app = make_app(drafts_dir, draft_path=example_at(drafts_dir, example_path, "backlog"))

    def conflict(pilot):
        pilot.app.dirty = True
        pilot.app._set_problem(DraftConflictError("changed on disk"))

    assert picture(snap_compare, app, conflict)


def test_snapshot_drafts_list_with_copies(snap_compare, drafts_dir, example_path):
    """A draft, its conflict copy, a recovery copy that landed in the drafts folder, another
    draft with the same key, and one with another key: each row says which is which."""
    path = example_at(drafts_dir, example_path, "verify", age_seconds=180)
    for name, age in (("metallb-copy-144210", 600), ("metallb-recovered-20251019-140000", 3 * 3600)):
        shutil.copyfile(path, drafts_dir / f"{name}.toml")
        os.utime(drafts_dir / f"{name}.toml", (FIXED_NOW.timestamp() - age,) * 2)
    example_at(drafts_dir, example_path, "pr", "metallb-2", age_seconds=2 * 86400)
    example_at(drafts_dir, example_path, "triage", "ingress", key="TERRAFORM-21", age_seconds=20)
    app = make_app(drafts_dir)
    assert picture(snap_compare, app)
