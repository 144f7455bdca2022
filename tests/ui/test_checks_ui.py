"""The wizard runs the checks: §4.1 terraform (fake terraform, real runner), §5.2 kubectl (real
kubectl against a loopback API server), §7.3 apply with guard rails and monitoring.

Waits are on events (tests/ui/helpers.py): ``workers_done`` for a run to end, ``until`` for
a condition, ``settle`` for messages and the debounced refresh — never a sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import socket
import time
from pathlib import Path

from textual import events
from textual.widgets import Select, Sparkline

from hotfix_tui.config import Config, KubectlConfig, MonitorConfig, TerraformConfig
from hotfix_tui.model import Draft
from hotfix_tui.screens.modals import PromptScreen
from hotfix_tui.services import Services
from hotfix_tui.services.terraform import terraform_fingerprint
from hotfix_tui.store import DraftStore
from hotfix_tui.widgets.command_log import CommandLog
from tests.fakes import (
    TERRAFORM,
    alive,
    executable,
    kubectl_binary,
    read_pids,
)
from tests.servers.kube import KubeServer, write_kubeconfig

from .helpers import FIXED_NOW, make_app, on_top, settle, type_text, until, workers_done

NS = "metallb-system"
IMPACT = "metallb-config ConfigMap (kubernetes_config_map.metallb_config), MetalLB controller 재시작"


def tf_calls(log: Path) -> list[list[str]]:
    return [json.loads(line)["argv"] for line in log.read_text().splitlines()] if log.exists() else []


def config_for(root: Path, *, binary: str | None = None, timeout: float = 60.0, **kube) -> Config:
    return Config(
        terraform=TerraformConfig(binary=binary or executable(TERRAFORM), dir=str(root), timeout=timeout),
        kubectl=KubectlConfig(**{"binary": kubectl_binary(), "namespace": NS, **kube}),
        monitor=MonitorConfig(minutes=30, interval_seconds=1),
    )


def draft_at(drafts: Path, phase: str, **changes) -> Path:
    draft = Draft(id="metallb")
    draft.phase = phase
    draft.backlog.jira_key = "TERRAFORM-15"
    draft.backlog.impact = IMPACT
    for path, value in changes.items():
        obj = draft
        *parents, last = path.split("__")
        for name in parents:
            obj = getattr(obj, name)
        setattr(obj, last, value)
    return DraftStore(drafts).create(draft).path


def app_for(drafts: Path, config: Config, path: Path, **kw):
    return make_app(drafts, config, services=Services.from_config(config), draft_path=path, **kw)



async def run_and_wait(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await workers_done(pilot)


async def press_button(pilot, button_id: str) -> None:
    button = pilot.app.screen.query_one(f"#{button_id}")
    button.focus()
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def row_text(app, name: str) -> str:
    return str(app.screen.query_one(f"#st-{name}").render())


# -- §4.1 terraform ------------------------------------------------------------------


async def test_run_all_checks_records_each_run_and_feeds_the_pr(tmp_path, drafts_dir, tf_root, tf_log):
    config = config_for(tf_root)
    app = app_for(drafts_dir, config, draft_at(drafts_dir, "fix"))
    async with app.run_test(size=(80, 24)) as pilot:
        draft = app.loaded.draft
        await run_and_wait(pilot, "f8")
        runs = draft.checks.runs
        assert [r.name for r in runs] == ["fmt-check", "fmt", "init", "validate", "plan"]
        assert all(r.status == "passed" for r in runs), [(r.name, r.summary) for r in runs]
        assert runs[-1].summary.startswith("Plan: 1 to add, 2 to change, 1 to destroy.")
        assert runs[-1].command.endswith("plan -input=false -no-color -out=.terraform/hotfix-metallb.tfplan "
                                         "-detailed-exitcode")
        # The reviewed plan is what §7.3 may apply.
        assert draft.deploy.plan_file == ".terraform/hotfix-metallb.tfplan"
        assert draft.deploy.plan_fingerprint == terraform_fingerprint(tf_root)
        assert draft.deploy.plan_reviewed_at
        # PR test items (§6.2) follow the passed checks.
        tests = {i.text: i for i in draft.pr.tests}
        assert tests["terraform validate 통과"].checked
        assert tests["terraform plan 검토"].checked
        assert tests["terraform plan 검토"].note == "Plan: 1 to add, 2 to change, 1 to destroy."
        # One timeline event per check.
        texts = [e.text for e in draft.timeline if e.source == "auto"]
        assert any(t.startswith("terraform validate 통과") for t in texts)
        assert sum("terraform" in t for t in texts) == 5
        # The plan review: counts, destroys/replaces, what the impact does not mention.
        review = str(app.screen.query_one("#plan-review").render())
        assert "추가 1 · 변경 2 · 삭제 1" in review
        assert "-/+ kubernetes_service.ingress_nginx" in review
        assert "선언한 영향 범위 밖" in review and "kubernetes_service.ingress_nginx" in review
        assert "metallb_config, which" not in review  # declared in the impact: no warning for it
        assert "✓" in row_text(app, "plan") and "통과" in row_text(app, "plan")
        panel = app.screen.query_one(CommandLog)
        assert panel.status == "passed" and "plan -input=false" in panel.command
        await settle(pilot)  # the debounced refresh ticks the §10 checklist
        assert draft.checklist["local_verified"].checked and draft.checklist["minimal_change"].checked
        assert app.save_now()
    saved = DraftStore(drafts_dir).load(app.loaded.path).draft
    assert [r.name for r in saved.checks.runs][-1] == "plan"


async def test_a_failing_validate_shows_failed_skips_plan_and_the_app_keeps_running(
        drafts_dir, tf_root, tf_log, monkeypatch):
    monkeypatch.setenv("FAKE_TERRAFORM", "validate-error")
    app = app_for(drafts_dir, config_for(tf_root), draft_at(drafts_dir, "fix"))
    async with app.run_test(size=(80, 24)) as pilot:
        draft = app.loaded.draft
        await run_and_wait(pilot, "f8")
        assert [r.name for r in draft.checks.runs] == ["fmt-check", "fmt", "init", "validate"]
        validate = draft.checks.runs[-1]
        assert validate.status == "failed"
        assert validate.summary == "invalid: 1 error, 0 warnings — error: Unsupported argument (main.tf:14)"
        assert "plan" not in [c[0] for c in tf_calls(tf_log)]
        assert "✗" in row_text(app, "validate") and "실패" in row_text(app, "validate")
        log = "\n".join(app.screen.query_one(CommandLog).lines)
        assert "건너뜀" in log  # plan skipped, and why
        assert not draft.pr.tests[1].checked
        # Still answering keys: type into the notes field.
        app.screen.query_one("#f-checks--notes").focus()
        await type_text(pilot, "ok")
        assert "ok" in draft.checks.notes


async def test_a_missing_binary_gives_a_clear_line_and_the_manual_path_stays(drafts_dir, tf_root, tmp_path):
    config = config_for(tf_root, binary=str(tmp_path / "bin" / "terraform"))
    app = app_for(drafts_dir, config, draft_at(drafts_dir, "fix"))
    async with app.run_test(size=(80, 24)) as pilot:
        draft = app.loaded.draft
        await run_and_wait(pilot, "f8")
        assert len(draft.checks.runs) == 1  # fmt -check could not run; the rest is skipped
        run = draft.checks.runs[0]
        assert run.status == "failed"
        expected = f"{tmp_path / 'bin' / 'terraform'} does not exist: install terraform or set [terraform] binary"
        assert run.summary.startswith(expected)
        log = "\n".join(app.screen.query_one(CommandLog).lines)
        assert expected in log
        await press_button(pilot, "check-validate")
        assert draft.checks.runs[-1].name == "validate" and draft.checks.runs[-1].status == "manual"


async def test_without_services_only_the_manual_path_is_offered(drafts_dir):
    app = make_app(drafts_dir, draft_path=draft_at(drafts_dir, "fix"))
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.screen.query(CommandLog) and not app.screen.query("#go-plan")
        await pilot.press("f8")  # nothing bound: no crash
        await press_button(pilot, "check-plan")
        assert app.loaded.draft.checks.runs[-1].status == "manual"


async def test_cancel_mid_run_stops_the_process_group(drafts_dir, tf_root, tmp_path, monkeypatch):
    pids_file = tmp_path / "pids"
    monkeypatch.setenv("FAKE_TERRAFORM", "hang")
    monkeypatch.setenv("FAKE_TERRAFORM_PIDS", str(pids_file))
    app = app_for(drafts_dir, config_for(tf_root), draft_at(drafts_dir, "fix"))
    async with app.run_test(size=(80, 24)) as pilot:
        draft = app.loaded.draft
        await pilot.press("f8")
        panel = app.screen.query_one(CommandLog)
        await until(pilot, lambda: panel.running and pids_file.exists() and pids_file.read_text().strip())
        assert "…" in row_text(app, "fmt") and "실행 중" in row_text(app, "fmt")
        pids = read_pids(pids_file)
        await pilot.press("f10")
        await workers_done(pilot, "checks")
        assert [r.status for r in draft.checks.runs] == ["cancelled"]
        assert draft.checks.runs[0].summary.startswith("cancelled after")
        assert panel.status == "cancelled"
        assert not any(alive(pid) for pid in pids)
        assert "취소" in row_text(app, "fmt")


async def test_a_command_past_its_timeout_gives_a_clear_line(drafts_dir, tf_root, monkeypatch):
    monkeypatch.setenv("FAKE_TERRAFORM", "hang")
    app = app_for(drafts_dir, config_for(tf_root, timeout=0.5), draft_at(drafts_dir, "fix"))
    async with app.run_test(size=(80, 24)) as pilot:
        await press_button(pilot, "go-init")
        await workers_done(pilot)
        run = app.loaded.draft.checks.runs[-1]
        assert run.name == "init" and run.status == "failed"
        assert run.summary.startswith("timed out after 0.5s: stopped terraform and its child processes")
        log = "\n".join(app.screen.query_one(CommandLog).lines)
        assert "raise [terraform] timeout in config.toml" in log


async def test_keys_are_handled_while_100000_lines_stream(drafts_dir, tf_root, monkeypatch):
    """The UI keeps answering while the log streams: each key lands in the draft within a frame or two.

    Pilot's ``press()`` waits until every message queue is empty — that is, until the
    stream is over — so it cannot show this. The keys go in as the terminal driver sends
    them, and the test polls (a bounded loop, 5 ms apart) for the key to reach the draft.
    """
    monkeypatch.setenv("FAKE_TERRAFORM", "lines=100000")
    app = app_for(drafts_dir, config_for(tf_root), draft_at(drafts_dir, "fix"))
    async with app.run_test(size=(80, 24)) as pilot:
        draft = app.loaded.draft
        panel = app.screen.query_one(CommandLog)
        app.screen.query_one("#f-checks--notes").focus()
        await pilot.pause()
        app.screen.start_jobs(app.screen.jobs(["plan"]))
        deadline = time.monotonic() + 30
        while panel.received == 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        typed, during = "", []  # (key, seconds until it was in the draft, lines received by then)
        for ch in "typed while terraform streams":
            if not 0 < panel.received < 100_000:
                break
            key = events.Key("space" if ch == " " else ch, ch)
            key.set_sender(app)
            sent = time.monotonic()
            app._driver.send_message(key)
            typed += ch
            while not draft.checks.notes.endswith(typed) and time.monotonic() - sent < 5:
                await asyncio.sleep(0.005)
            assert draft.checks.notes.endswith(typed), f"{ch!r} never reached the draft"
            during.append((ch, round(time.monotonic() - sent, 3), panel.received))
        print("keys during the stream (key, latency s, lines so far):", during)
        mid_stream = [d for d in during if d[2] < 100_000]
        assert len(mid_stream) >= 3, f"too few keys landed during the stream: {during}"
        assert max(d[1] for d in mid_stream) < 0.5, during  # prompt, even on a loaded CI machine
        await workers_done(pilot)
        assert panel.received > 100_000  # every line went through the panel…
        log = app.screen.query_one("#log-lines")
        assert len(log.lines) <= log.max_lines  # …and only the last ones are kept
        assert draft.checks.runs[-1].status == "passed"


# -- §5.2 kubectl --------------------------------------------------------------------


async def test_kubectl_get_then_logs_and_describe_of_a_picked_pod(drafts_dir, tf_root, tmp_path, monkeypatch):
    with KubeServer() as kube:
        monkeypatch.setenv("KUBECONFIG", str(kube.write_kubeconfig(tmp_path / "kubeconfig")))
        config = config_for(tf_root, context="kind-hotfix")
        app = app_for(drafts_dir, config, draft_at(drafts_dir, "verify"))
        async with app.run_test(size=(80, 24)) as pilot:
            draft = app.loaded.draft
            await run_and_wait(pilot, "f8")
            get = draft.verify.runs[-1]
            assert get.name == "kubectl-get" and get.status == "passed", get.summary
            assert get.command.endswith(f"--context kind-hotfix get all -n {NS}")
            pick = app.screen.query_one("#kube-pick", Select)
            assert pick.value == "pod/controller-7d4b9c8f6-x2x9k"
            await press_button(pilot, "kube-logs")
            await workers_done(pilot)
            logs = draft.verify.runs[-1]
            assert logs.name == "kubectl-logs" and logs.status == "passed"
            assert logs.summary == "50 log lines from pod controller-7d4b9c8f6-x2x9k"
            await press_button(pilot, "kube-describe")
            await workers_done(pilot)
            described = draft.verify.runs[-1]
            assert described.name == "kubectl-describe" and described.status == "passed"
            assert "described pod/controller-7d4b9c8f6-x2x9k" in described.summary
            assert any("kubectl-logs" not in e.text and "logs" in e.text for e in draft.timeline)
            assert any(p.endswith("/log?tailLines=200") or "/log?" in p for p in kube.requests)


async def test_an_unreachable_cluster_is_one_clear_line(drafts_dir, tf_root, tmp_path, monkeypatch):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("KUBECONFIG", str(write_kubeconfig(tmp_path / "kubeconfig", f"http://127.0.0.1:{port}")))
    app = app_for(drafts_dir, config_for(tf_root, timeout=20), draft_at(drafts_dir, "verify"))
    async with app.run_test(size=(80, 24)) as pilot:
        await run_and_wait(pilot, "f8")
        run = app.loaded.draft.verify.runs[-1]
        assert run.status == "failed" and "was refused" in run.summary, run.summary
        head = str(app.screen.query_one("#log-head").render())
        assert "실패" in head
        await press_button(pilot, "kube-logs")  # nothing picked: a warning, no crash
        assert app.is_running


# -- §7.3 apply ----------------------------------------------------------------------


async def _planned(pilot, app) -> None:
    """Run the plan on the Fix screen (as the engineer would), then go to Merge."""
    app.screen.start_jobs(app.screen.jobs(["plan"]))
    await workers_done(pilot)
    app.goto_phase("merge")
    await until(pilot, lambda: getattr(app.screen, "PHASE", "") == "merge", "the Merge screen")
    await settle(pilot)


async def test_apply_needs_the_typed_key_and_the_reviewed_plan(drafts_dir, tf_root, tf_log):
    app = app_for(drafts_dir, config_for(tf_root, context="prod-seoul"), draft_at(drafts_dir, "fix"))
    async with app.run_test(size=(80, 24)) as pilot:
        draft = app.loaded.draft
        await _planned(pilot, app)
        target = app.screen.query_one("#apply-target").render()
        assert "prod-seoul" in str(target)
        assert any("red" in str(span.style) for span in target.spans)  # production: red flag
        # A wrong key: nothing runs.
        await press_button(pilot, "apply")
        await on_top(pilot, PromptScreen)
        assert isinstance(app.screen, PromptScreen)
        await type_text(pilot, "TERRAFORM-1\n")
        await workers_done(pilot)
        assert "apply" not in [c[0] for c in tf_calls(tf_log)]
        assert not draft.deploy.applied_at
        # Escape: nothing runs either.
        await press_button(pilot, "apply")
        await pilot.press("escape")
        await workers_done(pilot)
        assert "apply" not in [c[0] for c in tf_calls(tf_log)]
        # The right key: the saved plan is applied.
        await press_button(pilot, "apply")
        await type_text(pilot, "TERRAFORM-15\n")
        await workers_done(pilot)
        applies = [c for c in tf_calls(tf_log) if c[0] == "apply"]
        assert applies == [["apply", "-input=false", "-no-color", ".terraform/hotfix-metallb.tfplan"]]
        assert draft.deploy.applied_at
        assert draft.deploy.apply_summary == "Apply complete! Resources: 1 added, 2 changed, 1 destroyed."
        assert draft.checks.runs[-1].name == "apply"


async def test_apply_is_refused_when_the_terraform_files_changed_since_the_plan(drafts_dir, tf_root, tf_log):
    app = app_for(drafts_dir, config_for(tf_root), draft_at(drafts_dir, "fix"))
    async with app.run_test(size=(80, 24)) as pilot:
        draft = app.loaded.draft
        await _planned(pilot, app)
        (tf_root / "main.tf").write_text((tf_root / "main.tf").read_text() + "# edited after the plan\n")
        await press_button(pilot, "apply")
        await type_text(pilot, "TERRAFORM-15\n")
        await workers_done(pilot)
        assert "apply" not in [c[0] for c in tf_calls(tf_log)]
        assert not draft.deploy.applied_at
        log = "\n".join(app.screen.query_one(CommandLog).lines)
        assert "the terraform files changed since the reviewed plan" in log
        assert draft.checks.runs[-1].name == "apply" and draft.checks.runs[-1].status == "failed"


async def test_apply_without_a_reviewed_plan_is_refused_before_asking(drafts_dir, tf_root, tf_log):
    app = app_for(drafts_dir, config_for(tf_root), draft_at(drafts_dir, "merge"))
    async with app.run_test(size=(80, 24)) as pilot:
        await press_button(pilot, "apply")
        assert not isinstance(app.screen, PromptScreen)
        assert "검토한 계획이 없습니다" in str(app.screen.query_one("#apply-target").render())
        assert tf_calls(tf_log) == []


# -- §7.3 monitoring -----------------------------------------------------------------


@contextlib.contextmanager
def monitoring_merge(drafts_dir, tf_root, tmp_path, monkeypatch):
    """A Merge draft 10 minutes into its 30-minute §7.3 window, a loopback cluster and a config
    pointing at it: (draft path, config, the cluster)."""
    started = (FIXED_NOW - dt.timedelta(minutes=10)).isoformat()
    path = draft_at(drafts_dir, "merge", deploy__monitor_started_at=started, deploy__monitor_minutes=30)
    with KubeServer() as kube:
        monkeypatch.setenv("KUBECONFIG", str(kube.write_kubeconfig(tmp_path / "kubeconfig")))
        yield path, config_for(tf_root, context="kind-hotfix"), kube


async def test_monitoring_countdown_and_samples_survive_reopening_the_draft(drafts_dir, tf_root, tmp_path,
                                                                          monkeypatch):
    with monitoring_merge(drafts_dir, tf_root, tmp_path, monkeypatch) as (path, config, kube):
        app = app_for(drafts_dir, config, path)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: "20:00" in str(app.screen.query_one("#monitor").render()))
            assert "남음" in str(app.screen.query_one("#monitor").render())
            # A restored window samples pods at once, in a worker.
            await app.workers.wait_for_complete()
            await until(pilot, lambda: app.screen.query_one("#spark-not-ready", Sparkline).data)
            assert list(app.screen.query_one("#spark-not-ready", Sparkline).data) == [1]
            assert "2 pods, 1 not ready, 3 restarts" in str(app.screen.query_one("#monitor-last").render())
            # Ending it without choosing: the samples decide, with the evidence.
            await press_button(pilot, "record-monitor-end")
            deploy = app.loaded.draft.deploy
            assert deploy.outcome == "regressed" and deploy.monitor_ended_at
            assert "speaker-5xk2p" in deploy.notes
            assert any("모니터링 근거" in e.text and "speaker-5xk2p" in e.text for e in app.loaded.draft.timeline)
            assert any("/pods" in p for p in kube.requests)


async def test_monitoring_window_that_ended_while_away_asks_for_the_outcome(drafts_dir):
    started = (FIXED_NOW - dt.timedelta(minutes=45)).isoformat()
    path = draft_at(drafts_dir, "merge", deploy__monitor_started_at=started, deploy__monitor_minutes=30)
    app = make_app(drafts_dir, draft_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "30분 경과" in str(app.screen.query_one("#monitor").render())
        assert not app.loaded.draft.deploy.monitor_ended_at  # no samples: the user decides


async def test_a_reopened_draft_keeps_the_resource_picker_and_the_plan_review(drafts_dir, tf_root):
    from hotfix_tui.model import CheckRun

    path = draft_at(drafts_dir, "verify")
    store = DraftStore(drafts_dir)
    loaded = store.load(path)
    loaded.draft.verify.runs.append(CheckRun(
        name="kubectl-get", status="passed", summary="2 pods",
        output_tail="NAME  READY\nresources: pod/controller-1 service/metallb-webhook-service"))
    loaded.draft.checks.runs.append(CheckRun(
        name="plan", status="passed", summary="Plan: 1 to add, 2 to change, 1 to destroy.",
        output_tail="Plan: 1 to add, 2 to change, 1 to destroy.\n"
                    "-/+ kubernetes_service.ingress_nginx (replace, replace because cannot update)\n"
                    "  ~ kubernetes_config_map.metallb_config (update)"))
    store.save(loaded)
    app = app_for(drafts_dir, config_for(tf_root), path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pick = app.screen.query_one("#kube-pick", Select)
        assert pick.value == "pod/controller-1"
        assert [r.ref for r in app.screen.resources] == ["pod/controller-1", "service/metallb-webhook-service"]
        app.goto_phase("fix")
        await until(pilot, lambda: app.screen.query("#plan-review"), "the Fix screen")
        await settle(pilot)
        review = app.screen.query_one("#plan-review").render()
        assert "-/+ kubernetes_service.ingress_nginx" in str(review)
        assert "~ kubernetes_config_map.metallb_config" in str(review)
        assert any("red" in str(span.style) for span in review.spans)


async def test_a_crashing_worker_becomes_one_clear_line_and_the_app_goes_on(drafts_dir, tf_root, monkeypatch):
    app = app_for(drafts_dir, config_for(tf_root), draft_at(drafts_dir, "fix"))

    def boom(step, **kw):
        raise RuntimeError("boom in a check")

    monkeypatch.setattr(app.services.checks, "run_step", boom)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_and_wait(pilot, "f8")
        assert app.is_running
        log = "\n".join(app.screen.query_one(CommandLog).lines)
        assert "점검 작업이 예기치 않게 멈췄습니다: RuntimeError: boom in a check" in log
        assert "실행 중" not in row_text(app, "fmt")  # no row left "running"
        assert app.screen.query_one(CommandLog).status == "error"
        assert app.loaded.draft.checks.runs == []
        await press_button(pilot, "check-fmt")  # the manual path still works
        assert app.loaded.draft.checks.runs[-1].status == "manual"
