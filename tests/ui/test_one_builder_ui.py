"""Every phase screen's command text (preview, F4 copy, hand record) is what the runner receives,
with tofu, remote ``upstream``, main ``master``, a kube context and a namespace.

The world of tests/test_one_builder.py: a real origin/clone, the fake terraform as ``tofu``
on PATH, a recording ``git`` wrapper, ``echo-argv`` as kubectl. Waits are Pilot's.
"""

from __future__ import annotations

import json
import shlex

from hotfix_tui.config import load_config
from hotfix_tui.screens.modals import ConfirmScreen, PromptScreen
from hotfix_tui.services import Services
from tests.fakes import ECHO_ARGV

from ..servers.github_server import git
from ..test_one_builder import (  # noqa: F401  (world is a fixture)
    BRANCH,
    CONTEXT,
    KEY,
    NS,
    body_lines,
    git_lines,
    tofu_lines,
    world,
)
from .helpers import focus, make_app, on_top, settle, type_text, workers_done


async def press_button(pilot, button_id: str) -> None:
    await focus(pilot, button_id)
    await pilot.press("enter")
    await settle(pilot)


async def shown_and_copied(pilot, index: int) -> str:
    """The screen's ``index``-th artifact as the preview shows it, checked against what F4 copies."""
    screen = pilot.app.screen
    while screen.artifacts()[screen.artifact_index % len(screen.artifacts())].label != screen.artifacts()[index].label:
        await pilot.press("f7")
        await settle(pilot)
    text = screen.artifact_text(screen.current_artifact())
    await pilot.press("f4")
    await settle(pilot)
    assert pilot.app.clipboard == text
    return text


def ran_tofu(world) -> list[str]:
    return [line for line in tofu_lines(world.tofu_log) if " show -json " not in line]


async def test_every_phase_screen_shows_what_the_runner_receives(world, drafts_dir):
    """Previews, F4 copies and hand records show commands that differ from what runs: with
    `[terraform] binary = "tofu"`, `[git] remote = "upstream"`, `main_branch = "master"`, the service
    runs `tofu plan … -out=.terraform/hotfix-<id>.tfplan`, but the screen shows
    `terraform plan … -out=hotfix.tfplan`, `git pull --ff-only origin main`,
    `terraform apply hotfix.tfplan` (screens/fix.py, branch.py, commit.py, merge.py build their own strings)."""
    config = load_config()
    app = make_app(drafts_dir, config=config, services=Services.from_config(config), draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        draft = app.loaded.draft

        # §4.1 Fix: preview/F4 == the lines tofu receives == the runs recorded == a hand record.
        app.goto_phase("fix")
        await settle(pilot)
        shown = body_lines(await shown_and_copied(pilot, 0))
        await pilot.press("f8")
        await workers_done(pilot)
        ran = ran_tofu(world)
        assert shown == ran
        assert ran[-1] == "tofu plan -input=false -no-color -out=.terraform/hotfix-metallb.tfplan -detailed-exitcode"
        assert [r.command for r in draft.checks.runs[-5:]] == ran
        await press_button(pilot, "check-validate")
        assert draft.checks.runs[-1].status == "manual" and draft.checks.runs[-1].command == ran[3]

        # §5.2 Verify: the kubectl line shown is the argv kubectl (echo-argv) receives.
        app.goto_phase("verify")
        await settle(pilot)
        kube_shown = [line for line in body_lines(await shown_and_copied(pilot, 0)) if "--context" in line]
        assert kube_shown[0] == f"{shlex.quote(str(ECHO_ARGV))} --context {CONTEXT} get all -n {NS}"
        await pilot.press("f8")
        await workers_done(pilot)
        run = draft.verify.runs[-1]
        assert run.command == kube_shown[0]
        received = json.loads(next(line for line in run.output_tail.splitlines() if line.startswith("[")))
        assert shlex.join([str(ECHO_ARGV), *received]) == kube_shown[0]

        # §3.2 Branch: the hand commands are lines of the step that runs (and of its dry-run plan).
        app.goto_phase("branch")
        await settle(pilot)
        shown = body_lines(await shown_and_copied(pilot, 1))
        assert shown == ["git fetch upstream master", "git checkout master",
                         "git merge --ff-only upstream/master", f"git checkout -b {BRANCH}"]
        world.git_log.unlink(missing_ok=True)
        await pilot.press("f8")
        await workers_done(pilot)
        assert git(world.work, "symbolic-ref", "--short", "HEAD") == BRANCH
        ran = git_lines(world.git_log)
        assert all(line in ran for line in shown), (shown, ran)

        # §4.2–4.4 Commit and push.
        (world.work / "metallb.tf").write_text('resource "kubernetes_config_map" "metallb_config" { }\n')
        git(world.work, "add", ".")
        app.goto_phase("commit")
        await settle(pilot)
        text = await shown_and_copied(pilot, 1)
        world.git_log.unlink(missing_ok=True)
        await pilot.press("f8")
        await workers_done(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await workers_done(pilot)
        commit_run = next(line for line in git_lines(world.git_log) if line.startswith("git commit "))
        assert commit_run in text  # the whole line, the message in its quotes
        await pilot.press("f8")
        await workers_done(pilot)
        push_run = next(line for line in git_lines(world.git_log) if line.startswith("git push "))
        assert push_run == body_lines(text)[-1] == f"git push --set-upstream upstream {BRANCH}:refs/heads/{BRANCH}"

        # §7.2 clean-up (after the merge reached upstream's master) and §7.3 apply.
        git(world.work, "push", "-q", "upstream", f"{BRANCH}:master")
        app.goto_phase("merge")
        await settle(pilot)
        shown = body_lines(await shown_and_copied(pilot, 0))
        apply_shown = shown.pop()
        assert apply_shown == "tofu apply -input=false -no-color .terraform/hotfix-metallb.tfplan"
        world.git_log.unlink(missing_ok=True)
        await pilot.press("f8")  # the clean-up: the only step with its system configured
        await on_top(pilot, PromptScreen)
        assert isinstance(app.screen, PromptScreen)
        await type_text(pilot, KEY + "\n")
        await workers_done(pilot)
        assert draft.merge.main_updated_at
        ran = [shlex.split(line) for line in git_lines(world.git_log)]
        for line in shown:
            argv = shlex.split(line)
            assert any(len(r) == len(argv) and all(a == b or "<remote tip>" in a for a, b in zip(argv, r))
                       for r in ran), (line, ran)
        await press_button(pilot, "apply")
        await type_text(pilot, KEY + "\n")
        await workers_done(pilot)
        assert ran_tofu(world)[-1] == apply_shown
        assert draft.checks.runs[-1].command == apply_shown
