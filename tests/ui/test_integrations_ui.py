"""The wizard does the remote steps itself: real git, the real jira/PyGithub clients, loopback servers.

The MetalLB case from an empty draft to a merged PR and a ticket in `완료`, by keyboard
(F8 runs a phase's next remote step), against the servers and the bare repository of
tests/test_integrations_cli.py; then failures (401, unreachable), Retry, and the
offline path when nothing is configured.
"""

from __future__ import annotations

from hotfix_tui.config import Config, load_config
from hotfix_tui.services import Services
from hotfix_tui.store import DraftStore

from ..servers.github_server import git
from ..servers.jira_server import DONE
from ..test_integrations_cli import (  # noqa: F401  (world is a fixture)
    BRANCH,
    GITHUB_TOKEN,
    JIRA_TOKEN,
    SLACK_URL_SECRET,
    _fix,
    world,
)
from .helpers import choose, fill, focus, make_app, settle, until, workers_done
from .rowkeys import fill_dialog, tick_rows
from .test_metallb_walk import (
    PR_CHANGES,
    PR_IMPACT,
    PR_PROBLEM,
    PR_ROLLBACK,
    PR_ROOT,
    PROBLEM,
    next_phase,
    press_button,
    type_backlog,
)

SECRETS = (JIRA_TOKEN, GITHUB_TOKEN, SLACK_URL_SECRET)


def wizard(world, drafts_dir, **kwargs):
    config = load_config()  # the world's config file ($HOTFIX_TUI_CONFIG)
    return make_app(drafts_dir, config=config, services=Services.from_config(config), **kwargs)


async def f8(pilot) -> None:
    await pilot.press("f8")
    await workers_done(pilot)


def screen_text(app) -> str:
    return app.export_screenshot()


def log_text(app) -> str:
    screen = next(s for s in reversed(app.screen_stack) if s.query("#step-panel"))  # under a modal too
    panel = screen.query_one("#step-panel")
    return "\n".join(panel.lines)


def assert_no_secrets(folders, texts) -> None:
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert not any(s.encode() in data for s in SECRETS), path
    for text in texts:
        assert not any(s in text for s in SECRETS)


async def triage(pilot) -> None:
    await pilot.press("n")
    await settle(pilot)
    await fill(pilot, "discovered", "2025-10-19 14:30", replace=True)
    await choose(pilot, "f-triage--severity", 1)  # Critical
    await choose(pilot, "f-triage--change_kind", 1)  # bug
    await focus(pilot, "f-triage--urgent")
    await pilot.press("space")
    await settle(pilot)
    await next_phase(pilot, "backlog")


def in_order(texts: list[str], expected: list[str]) -> None:
    """``expected`` appear in ``texts`` in this order (other events may come between)."""
    position = 0
    for want in expected:
        for i in range(position, len(texts)):
            if texts[i] == want:
                position = i + 1
                break
        else:
            raise AssertionError(f"{want!r} missing after position {position} in {texts}")


async def test_metallb_case_done_by_the_wizard(world, drafts_dir):
    app = wizard(world, drafts_dir)
    screens: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await triage(pilot)
        draft = app.loaded.draft

        # §2: the Bug is created; its key and URL are saved at once.
        await type_backlog(pilot)
        await f8(pilot)
        assert (draft.backlog.jira_key, draft.backlog.jira_url) == (
            "TERRAFORM-15", f"{world.jira.origin}/browse/TERRAFORM-15")
        on_disk = DraftStore(drafts_dir).load(app.loaded.path).draft
        assert on_disk.backlog.jira_key == "TERRAFORM-15"
        assert app.screen.query_one("#f-backlog--jira_key").value == "TERRAFORM-15"
        assert "POST " in log_text(app) and "TERRAFORM-15" in log_text(app)  # the request, then the result
        screens.append(screen_text(app))
        await next_phase(pilot, "branch")

        # §3.2: branch from an updated main, ticket to In Progress.
        await fill(pilot, "f-branch--slug", "metallb-ip-pool-fix")
        await f8(pilot)
        assert git(world.work, "symbolic-ref", "--short", "HEAD") == BRANCH
        assert f"git checkout -b {BRANCH}" in log_text(app) or BRANCH in log_text(app)
        assert app.screen.query_one("#f-branch--name").value == BRANCH
        await f8(pilot)
        assert world.jira.status_of("TERRAFORM-15") == "진행 중"
        screens.append(screen_text(app))
        await next_phase(pilot, "fix")

        for name in ("fmt", "init", "validate", "plan"):
            await press_button(pilot, f"check-{name}")
        await next_phase(pilot, "commit")

        # §4.2–4.4: staged diff stat and message shown, confirmed, committed, pushed, Testing.
        await fill(pilot, "f-commit--summary", "MetalLB IP 풀 범위 DHCP 충돌 수정")
        await fill(pilot, "f-commit--problem", "MetalLB IP 범위가 DHCP 서버 범위와 충돌하여 LoadBalancer IP 할당 실패",
                   use_paste=True)
        await fill(pilot, "f-commit--fix", "IP 범위를 192.168.1.200-250에서 192.168.1.100-150으로 변경", use_paste=True)
        await fill(pilot, "f-commit--impact", "metallb-config ConfigMap 설정 변경, MetalLB controller 재시작 필요",
                   use_paste=True)
        await fill(pilot, "f-commit--tests",
                   "terraform plan으로 변경사항 확인\n로컬 환경에서 IP 범위 검증\nmetallb-system 로그 확인", use_paste=True)
        _fix(world.work)
        await f8(pilot)
        question = app.screen.query_one("#question").query_one("Static").render()  # plain text: not markup
        assert "metallb.tf" in str(question) and "[TERRAFORM-15] hotfix:" in str(question)
        await pilot.press("y")
        await workers_done(pilot)
        assert draft.commit.sha and git(world.work, "rev-parse", "HEAD") == draft.commit.sha
        assert app.screen.query_one("#f-commit--sha").value == draft.commit.sha
        await f8(pilot)
        assert draft.commit.pushed_at and git(world.bare, "rev-parse", BRANCH) == draft.commit.sha
        await f8(pilot)
        assert world.jira.status_of("TERRAFORM-15") == "테스트 진행중"
        await next_phase(pilot, "verify")

        await tick_rows(pilot, "verify-items", range(5))
        await next_phase(pilot, "pr")

        # §6: the PR with reviewers from config; its link commented on Jira; Slack told.
        await fill(pilot, "f-pr--summary", "MetalLB IP 풀 충돌 수정")
        await fill(pilot, "f-pr--problem", PR_PROBLEM, use_paste=True)
        await fill(pilot, "f-pr--root_cause", PR_ROOT, use_paste=True)
        await fill(pilot, "f-pr--changes", PR_CHANGES, use_paste=True)
        await tick_rows(pilot, "pr-tests", range(5))
        await fill(pilot, "f-pr--impact", PR_IMPACT, use_paste=True)
        await fill(pilot, "f-pr--rollback", PR_ROLLBACK, use_paste=True)
        await f8(pilot)
        assert (draft.pr.number, draft.pr.url) == (1, f"{world.github.origin}/infra/platform/pull/1")
        assert app.screen.query_one("#f-pr--url").value == draft.pr.url
        assert draft.merge.reviewers == ["alice", "infra/sre"] and draft.merge.review_requested_at
        assert "pull/1" in world.jira.comments["TERRAFORM-15"][0]["body"]
        screens.append(screen_text(app))
        await next_phase(pilot, "merge")

        # §7.1: review state and the countdown; merge once approved; §7.2 clean up, Done.
        await f8(pilot)
        review = str(app.screen.query_one("#review-state").render())
        assert "#1" in review and "60" in review
        world.github.add_review(1, "alice", "APPROVED")
        await f8(pilot)  # review again: approved now
        assert app.screen.review.approved
        await f8(pilot)  # merge
        assert world.github.pulls[1]["merged"] and draft.merge.merged_at and not draft.merge.self_merge
        assert draft.merge.merge_sha == git(world.bare, "rev-parse", "main")
        await f8(pilot)  # cleanup asks for the key first: deleting a branch is dangerous
        assert git(world.work, "branch", "--list", BRANCH)  # nothing deleted yet
        await pilot.press(*"TERRAFORM-15", "enter")
        await workers_done(pilot)
        assert git(world.work, "symbolic-ref", "--short", "HEAD") == "main"
        assert not git(world.bare, "branch", "--list", BRANCH)
        await f8(pilot)  # Jira → 완료 (the Done screen's resolution filled)
        assert world.jira.status_of("TERRAFORM-15") == DONE and draft.merge.jira_done_at
        screens.append(screen_text(app))

        # §8.2: a follow-up ticket, linked to the hotfix ticket.
        app.goto_phase("post")
        await settle(pilot)
        await focus(pilot, "followup-rows")
        await pilot.press("a")  # a follow-up row: its dialog opens on the summary
        await settle(pilot)
        await fill_dialog(pilot, {"summary": "LoadBalancer 헬스체크 모니터링 추가"})
        await f8(pilot)
        assert draft.followups[0].key == "TERRAFORM-16"
        assert world.jira.links[0]["outward"] == "TERRAFORM-16"
        screens.append(screen_text(app))
        await pilot.press("ctrl+s")
        await settle(pilot)

    saved = DraftStore(drafts_dir).load(app.loaded.path).draft
    sha, merge_sha = saved.commit.sha[:7], saved.merge.merge_sha[:7]
    texts = [e.text for e in saved.timeline]
    in_order(texts, [
        "JIRA TERRAFORM-15 백로그 생성",
        f"브랜치 {BRANCH} 생성 (main {saved.branch.base[:7]})",
        "JIRA TERRAFORM-15 상태 변경 → 진행 중",
        f"커밋 {sha}: [TERRAFORM-15] hotfix: MetalLB IP 풀 범위 DHCP 충돌 수정",
        f"{BRANCH} 푸시 ({sha})",
        "JIRA TERRAFORM-15 상태 변경 → 테스트 진행중",
        "PR #1 생성 (리뷰 요청: alice, infra/sre)",
        "JIRA TERRAFORM-15에 PR 링크 코멘트",
        "Slack으로 리뷰 요청 알림",
        f"PR #1 머지 (squash, {merge_sha})",
        f"hotfix 브랜치 정리 및 main 최신화 ({merge_sha})",
        "JIRA TERRAFORM-15 상태 변경 → 완료",
        "Follow-up 백로그 TERRAFORM-16 생성: LoadBalancer 헬스체크 모니터링 추가",
    ])
    assert saved.followups[0].key == "TERRAFORM-16" and saved.merge.jira_done_at
    assert_no_secrets([drafts_dir, world.config_dir], screens)


async def _to_backlog(pilot) -> None:
    await triage(pilot)
    await type_backlog(pilot)


async def test_a_401_shows_one_clear_message_keeps_the_typing_and_retry_works(world, drafts_dir):
    world.jira.fail_next("POST", "/issue", 401)
    app = wizard(world, drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_backlog(pilot)
        draft = app.loaded.draft
        await f8(pilot)
        log = log_text(app)
        assert "Jira (" in log and "HTTP 401" in log and "$JIRA_API_TOKEN" in log
        assert app.screen.query_one("#step-retry").display
        assert draft.backlog.jira_key == "" and draft.backlog.summary == "MetalLB LoadBalancer IP 할당 실패"
        assert draft.backlog.rollback_plan and draft.backlog.problem == PROBLEM
        assert app.screen.query_one("#step-panel").has_class("-failed")
        # Typing goes on after the failure; then Retry (the server has been fixed).
        await fill(pilot, "f-backlog--expected", "LoadBalancer에 External IP 할당")
        # Both halves: "expected" alone would send a {실제 결과} slot, which is refused (issue 9).
        await fill(pilot, "f-backlog--actual", "pending")
        await press_button(pilot, "step-retry")
        await workers_done(pilot)
        assert draft.backlog.jira_key == "TERRAFORM-15"
        assert draft.backlog.expected == "LoadBalancer에 External IP 할당"
        assert world.jira.issues_with_summary("[HOTFIX] MetalLB LoadBalancer IP 할당 실패") == ["TERRAFORM-15"]
        assert not app.screen.query_one("#step-panel").has_class("-failed")
        shown = screen_text(app)
    assert_no_secrets([drafts_dir, world.config_dir], [shown])


async def test_unreachable_jira_points_to_the_manual_path(world, drafts_dir):
    world.jira.stop()
    app = wizard(world, drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_backlog(pilot)
        await f8(pilot)
        log = log_text(app)
        assert "connection refused" in log and ("F4" in log)
        # The manual path: type the key back and record it.
        await fill(pilot, "f-backlog--jira_key", "TERRAFORM-15")
        await press_button(pilot, "record-jira")
        assert app.loaded.draft.backlog.jira_key == "TERRAFORM-15"
        assert app.loaded.draft.timeline[-1].text == "JIRA 백로그 생성: TERRAFORM-15"


async def test_existing_branch_offers_to_switch(world, drafts_dir):
    git(world.work, "branch", BRANCH)
    loaded = world.store.load(world.path)
    loaded.draft.backlog.jira_key = "TERRAFORM-15"
    loaded.draft.phase = "branch"
    world.store.save(loaded)
    app = wizard(world, drafts_dir, draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await f8(pilot)
        assert "already exists" in log_text(app)
        await pilot.press("y")  # switch to it
        await workers_done(pilot)
        assert git(world.work, "symbolic-ref", "--short", "HEAD") == BRANCH
        assert app.loaded.draft.timeline[-1].text == f"기존 브랜치 {BRANCH}로 전환"


async def test_self_merge_needs_the_key_typed(world, drafts_dir):
    from hotfix_tui.cli import main as hotfix

    for step in (("jira", "create"), ("git", "branch")):
        assert hotfix([*step, "metallb"]) == 0
    _fix(world.work)
    # Set-up through the CLI, whose steps hold the earlier gates: passed with a reason here.
    assert hotfix(["git", "commit", "metallb", "--reason", "checks run by hand"]) == 0
    for step in (("git", "push"), ("pr", "create")):
        assert hotfix([*step, "metallb"]) == 0
    loaded = world.store.load(world.path)
    loaded.draft.phase = "merge"
    world.store.save(loaded)
    app = wizard(world, drafts_dir, draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_button(pilot, "step-merge")
        await workers_done(pilot)
        assert not world.github.pulls[1]["merged"]  # not approved: asks for the key
        await pilot.press(*"TERRAFORM-16", "enter")
        await workers_done(pilot)
        assert not world.github.pulls[1]["merged"]
        await press_button(pilot, "step-merge")
        await workers_done(pilot)
        await pilot.press(*"TERRAFORM-15", "enter")
        await workers_done(pilot)
        draft = app.loaded.draft
        assert world.github.pulls[1]["merged"] and draft.merge.self_merge
        assert draft.timeline[-1].text.startswith("PR #1 Self-merge (squash, ") and "사후 리뷰" in draft.timeline[-1].text
        assert app.screen.query_one("#f-merge--self_merge").value is True


async def test_nothing_configured_keeps_the_manual_path_only(drafts_dir):
    # Services exist, but no Jira site and no GitHub repository are configured.
    config = Config()
    app = make_app(drafts_dir, config=config, services=Services.from_config(config))
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_backlog(pilot)
        assert not app.screen.query("#step-panel")
        note = [str(w.render()) for w in app.screen.query(".intro")]
        assert any("[jira] url" in text for text in note)
        assert app.screen.check_action("run_step", ()) is False  # F8 hidden from the footer
        await fill(pilot, "f-backlog--jira_key", "TERRAFORM-15")
        await press_button(pilot, "record-jira")
        assert app.loaded.draft.timeline[-1].text == "JIRA 백로그 생성: TERRAFORM-15"


async def test_done_transition_asks_for_a_required_field(world, drafts_dir):
    from hotfix_tui.cli import main as hotfix

    world.jira.require_extra_field()
    assert hotfix(["jira", "create", "metallb"]) == 0
    loaded = world.store.load(world.path)
    loaded.draft.phase = "merge"
    world.store.save(loaded)
    app = wizard(world, drafts_dir, draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_button(pilot, "step-done")
        await workers_done(pilot)
        assert "Root Cause Category" in str(app.screen.query_one("Label").render())
        assert app.screen.query_one("#answer").value == "Configuration"  # the first allowed value, offered
        await pilot.press("enter")
        await workers_done(pilot)
        assert world.jira.status_of("TERRAFORM-15") == DONE
        assert app.loaded.draft.merge.jira_done_at
        assert app.loaded.draft.timeline[-1].text == "JIRA TERRAFORM-15 상태 변경 → 완료"


async def test_moving_on_while_a_step_runs_loses_nothing(world, drafts_dir):
    world.jira.timeout_next_create(0.8)  # Jira is slow to answer; the engineer moves on
    app = wizard(world, drafts_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_backlog(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: app.loaded.draft.backlog.jira_key, "the Jira key from the create step")
        await workers_done(pilot)
        assert app.loaded.draft.phase == "branch"
        assert app.loaded.draft.backlog.jira_key == "TERRAFORM-15"
        assert DraftStore(drafts_dir).load(app.loaded.path).draft.backlog.jira_key == "TERRAFORM-15"
        assert "JIRA TERRAFORM-15 백로그 생성" in [e.text for e in app.loaded.draft.timeline]


async def test_a_dirty_tree_is_refused_with_guidance_then_retry(world, drafts_dir):
    loaded = world.store.load(world.path)
    loaded.draft.backlog.jira_key = "TERRAFORM-15"
    loaded.draft.phase = "branch"
    world.store.save(loaded)
    tf = world.work / "metallb.tf"
    original = tf.read_text()
    tf.write_text(original + "\n# half-done edit\n")
    app = wizard(world, drafts_dir, draft_path=world.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await f8(pilot)
        log = log_text(app)
        assert "uncommitted changes (metallb.tf)" in log and "git stash" in log
        assert git(world.work, "symbolic-ref", "--short", "HEAD") == "main"
        tf.write_text(original)
        await press_button(pilot, "step-retry")
        await workers_done(pilot)
        assert git(world.work, "symbolic-ref", "--short", "HEAD") == BRANCH
        assert app.loaded.draft.branch.name == BRANCH
