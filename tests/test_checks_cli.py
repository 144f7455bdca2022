"""``hotfix check DRAFT``: the checks without the TUI, recorded in the draft, exit 1 on failure."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from hotfix_tui.cli import exit_code
from hotfix_tui import checks_cli
from hotfix_tui.config import load_config
from hotfix_tui.model import Draft
from hotfix_tui.store import DraftStore
from tests.fakes import TERRAFORM, executable, kubectl_binary
from tests.servers.kube import KubeServer


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="hotfix")
    sub = parser.add_subparsers(dest="command")
    checks_cli.add_parser(sub)
    return parser.parse_args(argv)


@pytest.fixture
def tf_root(tmp_path) -> Path:
    root = tmp_path / "platform" / "environments" / "prod"
    root.mkdir(parents=True)
    (root / "main.tf").write_text('resource "kubernetes_config_map" "metallb_config" {}\n')
    return root


@pytest.fixture
def config(tmp_path, tf_root):
    """A real config file whose [terraform] binary is the fake terraform."""
    path = tmp_path / "config.toml"
    path.write_text(
        "[git]\n"
        f'repo_dir = "{tmp_path / "platform"}"\n'
        "[terraform]\n"
        f'binary = "{executable(TERRAFORM)}"\n'
        'dir = "environments/prod"\n'
        "timeout = 30.0\n"
        "[kubectl]\n"
        f'binary = "{kubectl_binary()}"\n'
        'namespace = "metallb-system"\n',
        encoding="utf-8",
    )
    return load_config(path, required=True)


@pytest.fixture
def loaded(drafts_dir):
    store = DraftStore(drafts_dir)
    draft = Draft()
    draft.backlog.summary = "MetalLB IP 풀 충돌 $(touch /tmp/x)"
    draft.backlog.impact = "metallb-system 네임스페이스의 metallb-config ConfigMap; MetalLB controller 재시작"
    return store, store.create(draft)


def run_check(argv, config, store, loaded_draft):
    out = io.StringIO()
    code = exit_code(checks_cli.run(parse(["check", str(loaded_draft.path), *argv]), config, store, loaded_draft, out=out))
    return code, out.getvalue(), store.load(loaded_draft.path).draft


def test_all_checks_pass_and_are_recorded(config, loaded, tmp_path, monkeypatch):
    store, loaded_draft = loaded
    with KubeServer() as kube:
        monkeypatch.setenv("KUBECONFIG", str(kube.write_kubeconfig(tmp_path / "kubeconfig")))
        code, out, draft = run_check([], config, store, loaded_draft)

    assert code == 0, out
    assert [r.name for r in draft.checks.runs] == ["fmt-check", "fmt", "init", "validate", "plan"]
    assert [r.name for r in draft.verify.runs] == ["kubectl-get"]
    assert all(r.status == "passed" for r in draft.checks.runs + draft.verify.runs)
    plan = draft.checks.runs[-1]
    assert plan.exit_code == 2 and plan.summary.startswith("Plan: 1 to add, 2 to change, 1 to destroy.")
    assert "-out=.terraform/hotfix-" in plan.command and plan.started_at and plan.duration_ms >= 0
    assert draft.verify.runs[0].summary == "2 pods, 1 service"
    events = [e for e in draft.timeline if e.source == "auto"]
    assert len(events) == 6
    assert events[-2].text.startswith("terraform plan 통과: Plan: 1 to add")
    assert events[-1].text == "kubectl get all -n metallb-system 통과: 2 pods, 1 service"

    lines = out.splitlines()
    commands = [line for line in lines if line.startswith("$ ")]
    assert commands[0].endswith("terraform fmt -check -recursive -list=true")
    assert commands[-1].endswith("get all -n metallb-system")
    assert len(commands) == 6
    # Each command is followed by its one-line result: status, duration, summary.
    after_validate = lines[lines.index(commands[3]) + 1]
    assert after_validate.startswith("  passed  ") and after_validate.endswith("The configuration is valid.")
    # The review, and the replaced service that the impact field never mentioned.
    assert "  -/+ kubernetes_service.ingress_nginx (replace, replace because cannot update)" in lines
    assert any("warning: plan will replace kubernetes_service.ingress_nginx — destructive" in line for line in lines)
    assert not any("metallb_config, which" in line for line in lines)
    assert "warning: plan will replace kubernetes_service.ingress_nginx" in plan.output_tail


def test_failed_validate_returns_1_and_skips_the_plan(config, loaded, tf_root):
    store, loaded_draft = loaded
    (tf_root / ".fake-terraform").write_text("validate-error\n")
    code, out, draft = run_check(["--only", "init,validate,plan"], config, store, loaded_draft)

    assert code == 1
    assert [(r.name, r.status) for r in draft.checks.runs] == [("init", "passed"), ("validate", "failed")]
    validate = draft.checks.runs[-1]
    assert validate.exit_code == 1
    assert validate.summary == "invalid: 1 error, 0 warnings — error: Unsupported argument (main.tf:14)"
    assert validate.output_tail.endswith("\nerror: Unsupported argument (main.tf:14)")
    assert "  error: Unsupported argument (main.tf:14)" in out.splitlines()
    assert "- terraform plan: skipped (terraform validate did not pass)" in out
    assert draft.timeline[-1].text.startswith("terraform validate 실패: invalid: 1 error")
    assert out.rstrip().endswith(f"results saved in {loaded_draft.path}")
    assert out.splitlines()[-1].startswith("FAILED")


def test_no_write_only_checks_formatting(config, loaded, tf_root):
    store, loaded_draft = loaded
    code, out, draft = run_check(["--only", "fmt", "--no-write"], config, store, loaded_draft)
    assert code == 1
    assert [(r.name, r.status) for r in draft.checks.runs] == [("fmt-check", "failed")]
    assert "2 file(s) need formatting: main.tf, modules/metallb/main.tf" in out
    assert not (tf_root / ".fake-terraform-formatted").exists()  # nothing was rewritten


def test_not_a_terraform_root_is_one_clear_line(config, loaded, tf_root):
    store, loaded_draft = loaded
    (tf_root / "main.tf").unlink()
    code, out, draft = run_check(["--only", "validate"], config, store, loaded_draft)
    assert code == 1
    assert f"{tf_root} is not a terraform root (no *.tf files there)" in out
    assert draft.checks.runs[0].status == "failed" and draft.checks.runs[0].exit_code == -1


def test_unreachable_cluster_fails_the_kubectl_check(config, loaded, tmp_path, monkeypatch):
    import socket

    from tests.servers.kube import write_kubeconfig

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("KUBECONFIG", str(write_kubeconfig(tmp_path / "kc", f"http://127.0.0.1:{port}")))
    store, loaded_draft = loaded
    code, out, draft = run_check(["--only", "kubectl"], config, store, loaded_draft)
    assert code == 1 and draft.checks.runs == []
    assert draft.verify.runs[0].status == "failed"
    assert f"The connection to the server 127.0.0.1:{port} was refused" in draft.verify.runs[0].summary


def test_verbose_streams_output_and_user_text_stays_literal(config, loaded, tf_root, tmp_path, monkeypatch):
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("FAKE_TERRAFORM_LOG", str(log))
    store, loaded_draft = loaded
    code, out, _ = run_check(["--only", "init", "-v"], config, store, loaded_draft)
    assert code == 0
    assert "  | Terraform has been successfully initialized!" in out.splitlines()
    assert [json.loads(line)["argv"] for line in log.read_text().splitlines()] == [
        ["init", "-input=false", "-no-color"]]


def test_only_rejects_unknown_checks(capsys):
    with pytest.raises(SystemExit) as exc:
        parse(["check", "x", "--only", "fmt,lint"])
    assert exc.value.code == 2
    assert "unknown check 'lint': choose from fmt, init, validate, plan, kubectl" in capsys.readouterr().err
