"""Issue 9 items 1-3: facts stored once, gates per phase with recorded overrides, ticks that
follow the facts. The draft is built in code here; the wizard's side is tests/ui/test_gates_walk.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace

from hotfix_tui.cli import main
from hotfix_tui.config import Config, JiraConfig, UiConfig
from hotfix_tui.model import CheckRun, Draft, check_state, from_dict, monitoring_done, to_dict
from hotfix_tui.render import RenderContext, render
from hotfix_tui.services.checks import CheckService
from hotfix_tui.services.terraform import terraform_fingerprint
from hotfix_tui.services.jira import MoveResult
from hotfix_tui.store import DraftStore
from hotfix_tui.workflow import checklist, steps
from hotfix_tui.workflow.checklist import Facts
from hotfix_tui.workflow.validation import ERROR, draft_report, gates

CTX = RenderContext()
T0 = dt.datetime(2026, 12, 3, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=9)))


def run(name: str, status: str, fingerprint: str = "") -> CheckRun:
    return CheckRun(name=name, command=f"terraform {name}", status=status, started_at=T0.isoformat(),
                    fingerprint=fingerprint)


def tls_draft() -> Draft:
    """TERRAFORM-16: the ingress TLS certificate expired."""
    draft = Draft(id="tls")
    draft.backlog.summary = "Ingress TLS 인증서 만료"
    draft.backlog.jira_key = "TERRAFORM-16"
    return draft


def codes(findings) -> list[str]:
    return [f.code for f in findings]


# -- gates ----------------------------------------------------------------------------------


def test_fix_gate_holds_only_with_every_check_passed_on_the_current_tree():
    """"Fix & checks, Verify and Merge/deploy have no rules: with init and plan failed and nothing
    else run, the screen says '✓ 이 단계의 규칙을 모두 만족합니다' and ctrl+n moves on without a dialog\""""
    draft = tls_draft()
    draft.checks.add_run(run("init", "failed"))
    draft.checks.add_run(run("plan", "failed"))
    found = gates(draft, CTX, ["fix"])
    assert [(f.code, f.level) for f in found] == [
        ("g.check_missing", ERROR), ("g.check_failed", ERROR), ("g.check_missing", ERROR), ("g.check_failed", ERROR)]
    assert "terraform init" in found[1].message
    for name in ("fmt-check", "init", "validate", "plan"):
        draft.checks.add_run(run(name, "passed", "tree-a"))
    assert gates(draft, CTX, ["fix"], Facts(tree="tree-a")) == []
    # The files changed since: every check is stale on the new tree.
    assert set(codes(gates(draft, CTX, ["fix"], Facts(tree="tree-b")))) == {"g.check_stale"}
    assert check_state(draft, "plan", "tree-b") == "stale"


def test_verify_gate_needs_every_required_item():
    """"Verify passes with 2 of 5 §5.1 items unticked.\""""
    draft = tls_draft()
    for item in draft.verify.items[:3]:
        item.checked = True
    [finding] = gates(draft, CTX, ["verify"])
    assert finding.code == "g.verify_items" and "2" in finding.message
    assert "실제 환경에서 동작 확인" in finding.message
    for item in draft.verify.items:
        item.checked = True
    assert gates(draft, CTX, ["verify"]) == []


def test_pr_and_merge_gates_read_facts():
    """"Fix & checks, Verify and Merge/deploy have no rules" — PR needs its number; Merge needs the
    merge, the clean-up, Jira done, the apply and the monitoring as facts."""
    draft = tls_draft()
    assert codes(gates(draft, CTX, ["pr"])) == ["g.pr_missing"]
    draft.pr.url = "https://github.example/infra/platform/pull/7"
    assert gates(draft, CTX, ["pr"]) == []
    assert codes(gates(draft, CTX, ["merge"], Facts(now=T0))) == [
        "g.not_merged", "g.branch_not_cleaned", "g.jira_not_done", "g.not_applied", "g.not_monitored"]
    draft.merge.merged_at = draft.merge.branch_deleted_at = draft.deploy.applied_at = T0.isoformat()
    draft.record_jira_move("done", "완료", T0.isoformat())
    draft.deploy.monitor_started_at = T0.isoformat()
    draft.deploy.monitor_ended_at = (T0 + dt.timedelta(minutes=30)).isoformat()
    assert gates(draft, CTX, ["merge"], Facts(now=T0 + dt.timedelta(minutes=31), minutes=30)) == []


# -- derived ticks ----------------------------------------------------------------------------


def test_a_failed_validate_unticks_the_pr_item_and_validate_reports_it(drafts_dir, capsys, example_path):
    """"The PR body shows `- [x] terraform validate 통과` while the latest validate run failed.
    `hotfix validate` reports 0 errors on that draft.\""""
    store = DraftStore(drafts_dir)
    draft = store.load(example_path).draft  # the seed's case: valid, every PR item ticked
    assert main(["validate", str(example_path)]) == 0
    capsys.readouterr()
    draft.checks.add_run(run("validate", "failed"))  # the latest validate run failed
    assert "- [ ] terraform validate 통과" in render(draft, "pr-body", CTX)
    report = draft_report(draft, CTX)
    assert [f for f in report if f.code == "g.pr_item_contradicts" and f.level == ERROR]
    assert [f for f in report if f.code == "g.check_failed" and f.phase == "fix" and f.level == ERROR]

    draft.id = "tls"
    path = store.create(draft).path
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "error: [pr] pr.tests: PR 테스트 결과 'terraform validate 통과'" in out
    assert "error: [fix] checks.runs: terraform validate의 마지막 실행이 실패했습니다" in out
    # In the wizard, the failed fact takes the tick back (checklist.refresh on every redraw).
    assert checklist.refresh(draft) and not draft.pr.tests[1].checked


def test_an_override_is_listed_by_validate_and_in_the_report_only_when_there_is_one(drafts_dir, capsys,
                                                                                    example_path):
    """acceptance: "the report lists the overrides; the MetalLB walk and the seed's texts stay byte-exact\""""
    store = DraftStore(drafts_dir)
    seed = store.load(example_path).draft
    assert "게이트 예외" not in render(seed, "report", CTX)  # the seed's example has none: no section
    draft = store.load(example_path).draft
    draft.checks.add_run(run("init", "failed"))
    draft.add_override("fix", "g.check_failed,g.check_missing", "init이 프록시 때문에 실패: 로컬에서 확인함",
                       what="terraform init failed", by="oncall", at=T0.isoformat())
    assert draft.overridden_phases == ["fix"]
    text = render(draft, "report", CTX)
    assert text == render(seed, "report", CTX) + (
        "\n## 게이트 예외\n- [fix] terraform init failed — init이 프록시 때문에 실패: 로컬에서 확인함 "
        "(2026-12-03 02:10, oncall)\n")
    assert "## Overrides" in render(draft, "report", RenderContext(language="en"))
    draft.id = "tls"
    path = store.create(draft).path
    assert main(["validate", str(path)]) == 0  # overridden: listed, not an error
    out = capsys.readouterr().out
    assert "게이트 예외: [fix] terraform init failed — init이 프록시 때문에 실패: 로컬에서 확인함" in out
    assert "warning: [fix] checks.runs: terraform init의 마지막 실행이 실패했습니다" in out


def test_monitoring_does_not_tick_before_its_minutes():
    """"The §7.3 '모니터링 (최소 30분)' item ticked itself after 50 seconds.\""""
    draft = tls_draft()
    draft.deploy.monitor_started_at = T0.isoformat()
    draft.deploy.monitor_ended_at = (T0 + dt.timedelta(seconds=50)).isoformat()
    later = T0 + dt.timedelta(hours=2)
    checklist.refresh(draft, facts=Facts(now=later, minutes=30))
    assert "monitored" not in draft.checklist
    # An end dated ahead does not help: the time has to have passed.
    draft.deploy.monitor_ended_at = (T0 + dt.timedelta(minutes=30)).isoformat()
    assert not monitoring_done(draft, T0 + dt.timedelta(seconds=50), 30)
    checklist.refresh(draft, facts=Facts(now=T0 + dt.timedelta(seconds=50), minutes=30))
    assert "monitored" not in draft.checklist
    checklist.refresh(draft, facts=Facts(now=T0 + dt.timedelta(minutes=30), minutes=30), language="en")
    assert draft.checklist["monitored"].reason == "monitored (30 min at least)"
    assert checklist.fact_problem(tls_draft(), "monitored")  # by hand without the fact: a reason is asked


def test_auto_tick_reasons_follow_the_language():
    """Auto-tick reasons come from the catalogue, not hard-coded Korean."""
    draft = tls_draft()
    draft.backlog.impact = "모든 HTTPS 접속 실패"
    checklist.refresh(draft, language="en")
    assert draft.checklist["impact_analyzed"].reason == "impact written"
    ko = tls_draft()
    ko.backlog.impact = "x"
    checklist.refresh(ko)
    assert ko.checklist["impact_analyzed"].reason == "영향 범위 작성됨"


# -- facts --------------------------------------------------------------------------------------


def test_jira_move_records_the_fact_whatever_the_language():
    """"Whether a Jira move is done is read back from translated timeline text
    (RemoteSteps.moved_to looks for '→'); with [ui] language = 'en' the move to In Progress never
    shows as done and F8 runs the transition again.\""""
    config = dataclasses.replace(Config(), ui=UiConfig(language="en"),
                                 jira=dataclasses.replace(JiraConfig(), url="https://jira.example"))
    moves = []

    class Jira:
        configured = True
        system = "jira"

        def move(self, key, status, fields=None, dry_run=False, **values):  # worklog defaults etc.
            if dry_run:
                return [f"POST {key} → {status}"]
            moves.append(status)
            return MoveResult(key, status, "Start", changed=len(moves) == 1)

    sc = steps.StepContext(SimpleNamespace(jira=Jira()), config)
    draft = tls_draft()
    steps.STEPS["in_progress"].run(sc, draft).apply(draft)
    assert draft.jira_moved("in_progress") and draft.backlog.jira_status == config.jira.statuses.in_progress
    assert "→" not in draft.timeline[-1].text  # the English line: the fact does not depend on it
    first = draft.backlog.jira_moved_at["in_progress"]
    # Already in that status (moved by hand in Jira): the fact is recorded, its first time kept.
    fresh = tls_draft()
    steps.STEPS["in_progress"].run(sc, fresh).apply(fresh)
    assert fresh.jira_moved("in_progress")
    steps.STEPS["in_progress"].run(sc, draft).apply(draft)
    assert draft.backlog.jira_moved_at["in_progress"] == first
    # done keeps merge.jira_done_at, which older readers use, in step.
    steps.STEPS["done"].run(sc, draft).apply(draft)
    assert draft.merge.jira_done_at == draft.backlog.jira_moved_at["done"]


def test_check_runs_carry_the_fingerprint_of_the_files_they_ran_on(tf_root):
    """Item 1: "checks with result and the tree fingerprint they ran on\""""
    config = dataclasses.replace(Config(), terraform=dataclasses.replace(Config().terraform, dir=str(tf_root)))
    service = CheckService(config)
    assert service.tree_fingerprint() == terraform_fingerprint(tf_root)
    assert CheckService(dataclasses.replace(config, terraform=dataclasses.replace(
        config.terraform, dir=str(tf_root / "nowhere")))).tree_fingerprint() == ""


def test_old_drafts_load_and_keep_their_overridden_phases(drafts_dir):
    """Schema 1 drafts written before issue 9 (overridden_phases, jira_done_at, no facts) still load."""
    data = to_dict(tls_draft())
    for key in ("overrides",):
        del data[key]
    del data["backlog"]["jira_status"], data["backlog"]["jira_moved_at"]
    data["overridden_phases"] = ["fix"]
    data["merge"]["jira_done_at"] = T0.isoformat()
    draft = from_dict(data)
    assert draft.overridden_phases == ["fix"] and draft.overrides == []
    assert draft.jira_moved("done")
    path = DraftStore(drafts_dir).create(draft).path
    assert DraftStore(drafts_dir).load(path).draft.overridden_phases == ["fix"]


def test_cli_steps_enforce_the_earlier_gates_and_a_reason_passes_them_on_record():
    """Item 2: gates are "enforced by the CLI steps": `git commit`/`push` need the fix gate,
    `pr create` the fix and verify gates, `jira move done` the merge (§7.2 order); a gate
    passed once with a reason (wizard or --reason) is not asked again."""
    from hotfix_tui.workflow.validation import record_override, step_gates

    ctx = RenderContext()
    draft = tls_draft()
    assert {f.phase for f in step_gates(draft, ctx, "git commit")} == {"fix"}
    assert {f.phase for f in step_gates(draft, ctx, "pr create")} == {"fix", "verify"}
    assert [f.code for f in step_gates(draft, ctx, "jira move done")] == ["g.not_merged"]
    record_override(draft, "fix", step_gates(draft, ctx, "git commit"), "checks run by hand", "en")
    assert step_gates(draft, ctx, "git commit") == [] and step_gates(draft, ctx, "git push") == []
    assert {f.phase for f in step_gates(draft, ctx, "pr create")} == {"verify"}
    assert draft.overrides[-1].phase == "fix" and draft.overrides[-1].reason == "checks run by hand"
    assert draft.timeline[-1].source == "override"
    draft.merge.merged_at = "2026-12-03T03:10:00+09:00"
    assert step_gates(draft, ctx, "jira move done") == []
