"""Terraform checks against the fake terraform, kubectl look-ups with the real kubectl."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest

from hotfix_tui.config import Config, KubectlConfig, TerraformConfig
from hotfix_tui.services import kubectl, terraform
from hotfix_tui.services.checks import CheckService
from hotfix_tui.services.terraform import plan_file_name, terraform_fingerprint
from hotfix_tui.workflow.checks import check_run, to_check_run
from hotfix_tui.services.runner import ERROR, FAILED, INFO, PASSED, TIMEOUT, RunResult, Runner
from tests.fakes import (
    ECHO_ARGV,
    TERRAFORM,
    calls,
    executable,
    kubectl_binary,
)
from tests.servers.kube import KubeServer, write_kubeconfig

NS = "metallb-system"


def service_for(root: Path, *, binary: str | None = None, tf_timeout: float = 60.0, runner: Runner | None = None,
                **kube) -> CheckService:
    config = Config(
        terraform=TerraformConfig(binary=binary or executable(TERRAFORM), dir=str(root), timeout=tf_timeout),
        kubectl=KubectlConfig(**{"binary": kubectl_binary(), "namespace": NS, **kube}),
    )
    return CheckService(config, runner)


# -- commands ------------------------------------------------------------------------


def test_the_exact_commands_come_from_config():
    tf = TerraformConfig(binary="tofu", dir="env/prod")
    kc = KubectlConfig(binary="/opt/kubectl", context="prod-seoul", namespace="metallb-system")
    assert terraform.fmt_check_argv(tf) == ["tofu", "fmt", "-check", "-recursive", "-list=true"]
    assert terraform.fmt_argv(tf) == ["tofu", "fmt", "-recursive"]
    assert terraform.init_argv(tf) == ["tofu", "init", "-input=false", "-no-color"]
    assert terraform.validate_argv(tf) == ["tofu", "validate", "-json"]
    assert terraform.plan_argv(tf, "p.tfplan") == [
        "tofu", "plan", "-input=false", "-no-color", "-out=p.tfplan", "-detailed-exitcode"]
    assert terraform.show_json_argv(tf, "p.tfplan") == ["tofu", "show", "-json", "p.tfplan"]
    assert terraform.apply_argv(tf, "p.tfplan") == ["tofu", "apply", "-input=false", "-no-color", "p.tfplan"]
    assert kubectl.kubectl_get_all_argv(kc) == ["/opt/kubectl", "--context", "prod-seoul", "get", "all", "-n", NS]
    assert kubectl.kubectl_logs_argv(kc, "controller-1", tail=50) == [
        "/opt/kubectl", "--context", "prod-seoul", "logs", "-n", NS, "controller-1", "--tail=50"]
    assert kubectl.kubectl_describe_argv(kc, "deployment.apps", "controller", namespace="other") == [
        "/opt/kubectl", "--context", "prod-seoul", "describe", "-n", "other", "deployment.apps", "controller"]
    no_context = KubectlConfig(namespace="default")
    assert kubectl.kubectl_get_all_argv(no_context) == ["kubectl", "get", "all", "-n", "default"]
    assert kubectl.kubectl_pods_argv(no_context) == ["kubectl", "get", "pods", "-n", "default", "-o", "json"]


def test_names_that_kubectl_would_read_as_options_are_refused():
    kc = KubectlConfig()
    with pytest.raises(ValueError, match="not a Kubernetes name"):
        kubectl.kubectl_logs_argv(kc, "--kubeconfig=/tmp/evil")
    with pytest.raises(ValueError):
        kubectl.kubectl_describe_argv(kc, "pod", "")


def test_plan_file_lives_in_dot_terraform_and_the_draft_id_cannot_escape():
    assert plan_file_name("20251019-1430") == ".terraform/hotfix-20251019-1430.tfplan"
    assert plan_file_name("../../etc/passwd $(x)") == ".terraform/hotfix-etc-passwd-x.tfplan"
    assert plan_file_name("") == ".terraform/hotfix-plan.tfplan"


def test_terraform_dir_is_taken_from_the_repository(tmp_path):
    from hotfix_tui.config import GitConfig

    config = Config(git=GitConfig(repo_dir=str(tmp_path)), terraform=TerraformConfig(dir="environments/prod"))
    assert terraform.terraform_dir(config) == tmp_path / "environments" / "prod"
    absolute = Config(git=GitConfig(repo_dir=str(tmp_path)), terraform=TerraformConfig(dir="/srv/tf"))
    assert terraform.terraform_dir(absolute) == Path("/srv/tf")


# -- terraform -----------------------------------------------------------------------


def test_fmt_check_lists_files_then_fmt_rewrites_them(tf_root, tf_log):
    service = service_for(tf_root)
    check = service.fmt_check()
    assert check.status == PASSED and check.changes  # exit 3 = "would reformat": information
    assert check.result.exit_code == 3
    assert check.files == ["main.tf", "modules/metallb/main.tf"]
    assert check.summary == "2 file(s) need formatting: main.tf, modules/metallb/main.tf"

    fmt = service.fmt()
    assert fmt.status == PASSED and fmt.files == check.files
    assert fmt.summary == "formatted 2 file(s): main.tf, modules/metallb/main.tf"
    again = service.fmt_check()
    assert again.status == PASSED and not again.changes and again.summary == "all files are formatted"
    assert [c["argv"] for c in calls(tf_log)] == [
        ["fmt", "-check", "-recursive", "-list=true"], ["fmt", "-recursive"], ["fmt", "-check", "-recursive", "-list=true"]]
    assert {c["cwd"] for c in calls(tf_log)} == {str(tf_root)}


def test_strict_fmt_check_fails_on_unformatted_files(tf_root):
    check = service_for(tf_root).fmt_check(strict=True)
    assert check.status == FAILED and check.files and "need formatting" in check.summary


def test_fmt_syntax_error_fails_with_terraforms_message(tf_root, monkeypatch):
    monkeypatch.setenv("FAKE_TERRAFORM", "fmt-error")
    check = service_for(tf_root).fmt_check()
    assert check.status == FAILED and check.result.exit_code == 2
    assert check.summary == "Error: Argument or block definition required"


def test_init_success_and_failure(tf_root, monkeypatch):
    ok = service_for(tf_root).init()
    assert ok.status == PASSED and ok.summary == "Terraform has been successfully initialized!"
    monkeypatch.setenv("FAKE_TERRAFORM", "init-error")
    bad = service_for(tf_root).init()
    assert bad.status == FAILED and bad.summary == "Error: Failed to query available provider packages"


def test_validate_parses_the_json_report(tf_root, monkeypatch):
    ok = service_for(tf_root).validate()
    assert ok.status == PASSED and ok.validate.valid and ok.summary == "The configuration is valid."
    monkeypatch.setenv("FAKE_TERRAFORM", "validate-error")
    bad = service_for(tf_root).validate()
    assert bad.status == FAILED and bad.result.exit_code == 1
    assert bad.validate.error_count == 1 and bad.validate.warning_count == 0
    assert bad.validate.diagnostics[0].text() == "error: Unsupported argument (main.tf:14)"
    assert bad.summary == "invalid: 1 error, 0 warnings — error: Unsupported argument (main.tf:14)"


def test_plan_with_changes_passes_and_is_reviewed(tf_root, tf_log):
    seen = []
    plan_file = plan_file_name("metallb")
    outcome = service_for(tf_root).plan(plan_file, on_lines=seen.extend)

    assert outcome.status == PASSED and outcome.result.exit_code == 2 and outcome.changes
    assert (outcome.plan.add, outcome.plan.change, outcome.plan.destroy) == (1, 2, 1)
    assert outcome.summary == ("Plan: 1 to add, 2 to change, 1 to destroy. "
                               "Replaces: kubernetes_service.ingress_nginx.")
    assert (tf_root / plan_file).is_file() and outcome.plan_file == plan_file
    assert outcome.fingerprint == terraform_fingerprint(tf_root)
    review = outcome.review
    assert [c.address for c in review.replaces] == ["kubernetes_service.ingress_nginx"]
    assert review.plan_counts == outcome.plan  # JSON and text agree
    assert [c["argv"] for c in calls(tf_log)] == [
        ["plan", "-input=false", "-no-color", f"-out={plan_file}", "-detailed-exitcode"],
        ["show", "-json", plan_file],
    ]
    # The log panel sees the plan's own lines, then the review, destroys first.
    texts = [t for s, t in seen if s == INFO]
    assert texts[0].endswith(f"show -json {plan_file}")
    assert texts[1] == "-/+ kubernetes_service.ingress_nginx (replace, replace because cannot update)"
    assert "Plan: 1 to add, 2 to change, 1 to destroy." in [t for s, t in seen if s != INFO]


def test_plan_without_changes(tf_root, tf_log, monkeypatch):
    monkeypatch.setenv("FAKE_TERRAFORM", "plan-nochanges")
    outcome = service_for(tf_root).plan()
    assert outcome.status == PASSED and outcome.result.exit_code == 0 and not outcome.changes
    assert outcome.summary == "No changes." and outcome.plan.no_changes and outcome.review is None
    assert [c["argv"][0] for c in calls(tf_log)] == ["plan"]  # nothing to review


def test_plan_error_fails(tf_root, monkeypatch):
    monkeypatch.setenv("FAKE_TERRAFORM", "plan-error")
    outcome = service_for(tf_root).plan()
    assert outcome.status == FAILED and outcome.result.exit_code == 1
    assert outcome.summary == "Error: Unsupported argument"
    assert outcome.review is None


def test_a_folder_that_is_not_a_terraform_root_fails_fast(tmp_path, tf_log):
    empty = tmp_path / "docs"
    empty.mkdir()
    (empty / "README.md").write_text("no terraform here")
    service = service_for(empty)
    for outcome in (service.fmt_check(), service.init(), service.validate(), service.plan()):
        assert outcome.status == ERROR and outcome.result.exit_code is None
        assert outcome.summary == (f"{empty} is not a terraform root (no *.tf files there): "
                                   "set [terraform] dir in config.toml to the folder you run terraform in")
    missing = service_for(tmp_path / "nowhere").init()
    assert missing.status == ERROR and "does not exist: set [terraform] dir" in missing.summary
    assert calls(tf_log) == []  # terraform never started


def test_missing_terraform_binary_names_the_setting(tf_root):
    outcome = service_for(tf_root, binary="tofu-not-installed").validate()
    assert outcome.status == ERROR
    assert outcome.summary == ("tofu-not-installed not found on PATH: install tofu-not-installed "
                               "or set [terraform] binary in config.toml")


def test_a_hanging_terraform_hits_the_configured_timeout(tf_root, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_TERRAFORM", "hang")
    monkeypatch.setenv("FAKE_TERRAFORM_PIDS", str(tmp_path / "pids"))
    started = time.monotonic()
    outcome = service_for(tf_root, tf_timeout=1, runner=Runner(grace=0.5)).plan()
    assert time.monotonic() - started < 5
    assert outcome.status == TIMEOUT
    assert outcome.summary.startswith("timed out after 1s") and "[terraform] timeout" in outcome.summary
    record = to_check_run(outcome)
    assert record.status == "failed" and record.summary == outcome.summary


def test_apply_only_with_the_reviewed_plan_and_unchanged_files(tf_root):
    service = service_for(tf_root)
    plan = service.plan()
    stale = service.apply(plan.plan_file, reviewed_fingerprint="not-the-reviewed-one")
    assert stale.status == ERROR and "changed since the reviewed plan" in stale.summary
    (tf_root / "main.tf").write_text((tf_root / "main.tf").read_text() + "# edited after review\n")
    edited = service.apply(plan.plan_file, reviewed_fingerprint=plan.fingerprint)
    assert edited.status == ERROR and "changed since the reviewed plan" in edited.summary
    replanned = service.plan()
    applied = service.apply(replanned.plan_file, reviewed_fingerprint=replanned.fingerprint)
    assert applied.status == PASSED and applied.summary == "Apply complete! Resources: 1 added, 2 changed, 1 destroyed."
    missing = service.apply(".terraform/none.tfplan", reviewed_fingerprint=replanned.fingerprint)
    assert missing.status == ERROR and "no saved plan" in missing.summary


def test_check_run_is_what_the_draft_stores(tf_root, monkeypatch):
    monkeypatch.setenv("FAKE_TERRAFORM", "lines=100")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "metallb-system")  # a "secret" that shows up in output
    outcome = service_for(tf_root).plan()
    record = to_check_run(outcome)
    assert record.name == "plan" and record.status == "passed" and record.exit_code == 2
    assert record.command == outcome.command and record.started_at == outcome.result.started_at
    assert record.duration_ms == outcome.result.duration_ms
    assert record.summary.startswith("Plan: 1 to add, 2 to change, 1 to destroy.")
    tail = record.output_tail.splitlines()
    assert len(tail) == 20 and tail[-1].lstrip().startswith("~ ")  # the review's last row
    kept = "\n".join(outcome.result.lines())
    assert "metallb-system" not in kept and "metallb-system" not in record.output_tail
    assert "[id=****/metallb-config]" in kept

    never = RunResult(["x"], "x", "/", ERROR, None, "2025-10-19T14:30:00+09:00", 0.0, [(INFO, "x not found")], 0,
                      "x not found")
    stored = check_run("init", never)
    assert (stored.status, stored.exit_code, stored.summary, stored.output_tail) == ("failed", -1, "x not found",
                                                                                    "x not found")


def test_shell_syntax_in_user_text_reaches_commands_literally(tmp_path, tf_root):
    marker = tmp_path / "pwned"
    nasty = f"$(touch {marker})`touch {marker}`; rm -rf {tf_root}"
    config = Config(terraform=TerraformConfig(binary=executable(ECHO_ARGV), dir=str(tf_root)),
                    kubectl=KubectlConfig(binary=executable(ECHO_ARGV), context=nasty, namespace="default"))
    service = CheckService(config)
    plan = service.plan(f".terraform/{nasty}.tfplan", review=False)
    assert json.loads(plan.result.lines()[0]) == [
        "plan", "-input=false", "-no-color", f"-out=.terraform/{nasty}.tfplan", "-detailed-exitcode"]
    logs = service.kubectl_logs(nasty)
    assert json.loads(logs.result.lines()[0]) == ["--context", nasty, "logs", "-n", "default", nasty, "--tail=200"]
    described = service.kubectl_describe("pod", "x; rm -rf ~")
    assert json.loads(described.result.lines()[0])[-2:] == ["pod", "x; rm -rf ~"]
    assert not marker.exists() and (tf_root / "main.tf").exists()


# -- kubectl against a loopback API server ----------------------------------------------


@pytest.fixture
def kube(tmp_path, monkeypatch):
    with KubeServer() as server:
        monkeypatch.setenv("KUBECONFIG", str(server.write_kubeconfig(tmp_path / "kubeconfig")))
        yield server


def test_kubectl_get_all_lists_resources_to_pick(kube, tmp_path):
    outcome = service_for(tmp_path).kubectl_get_all()
    assert outcome.status == PASSED, outcome.result.text()
    assert outcome.summary == "2 pods, 1 service"
    assert [r.ref for r in outcome.resources] == [
        "pod/controller-7d4b9c8f6-x2x9k", "pod/speaker-5xk2p", "service/metallb-webhook-service"]
    assert any(line.startswith("pod/speaker-5xk2p") and "0/1" in line for line in outcome.result.lines())
    assert f"/api/v1/namespaces/{NS}/pods?limit=500" in kube.requests


def test_kubectl_with_a_context_and_an_empty_namespace(kube, tmp_path):
    outcome = service_for(tmp_path, context="kind-hotfix").kubectl_get_all(namespace="empty")
    assert outcome.status == PASSED and outcome.resources == []
    assert outcome.summary == "No resources found in empty namespace."
    assert outcome.command.endswith("--context kind-hotfix get all -n empty")


def test_kubectl_logs_and_describe_a_picked_pod(kube, tmp_path):
    service = service_for(tmp_path)
    pod = service.kubectl_get_all().resources[0]
    logs = service.kubectl_logs(pod.name, tail=3)
    assert logs.status == PASSED and logs.summary == f"3 log lines from pod {pod.name}"
    assert logs.result.lines()[-1] == '{"level":"info","msg":"IP allocated","ip":"192.168.1.149","service":"svc-49"}'
    assert any("tailLines=3" in r for r in kube.requests)

    described = service.kubectl_describe("pod", "speaker-5xk2p")
    assert described.status == PASSED and described.summary == "described pod/speaker-5xk2p (Status: Running)"
    text = described.result.text()
    assert "Restart Count:  3" in text and "Back-off restarting failed container speaker" in text

    missing = service.kubectl_logs("gone-pod")
    assert missing.status == FAILED and 'pods "gone-pod" not found' in missing.summary


def test_kubectl_pods_sample_for_monitoring(kube, tmp_path):
    sample = service_for(tmp_path).kubectl_pods()
    assert sample.status == PASSED
    assert (sample.pods.total, sample.pods.not_ready, sample.pods.restarts) == (2, ["speaker-5xk2p"], 3)
    assert sample.summary == "2 pods, 1 not ready, 3 restarts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_cluster_fails_clearly_and_fast(tmp_path, monkeypatch):
    port = _free_port()  # nothing listens there any more
    monkeypatch.setenv("KUBECONFIG", str(write_kubeconfig(tmp_path / "kc", f"http://127.0.0.1:{port}")))
    started = time.monotonic()
    outcome = service_for(tmp_path).kubectl_get_all()
    assert time.monotonic() - started < 15
    assert outcome.status == FAILED and outcome.result.exit_code == 1
    assert outcome.summary == (f"The connection to the server 127.0.0.1:{port} was refused - "
                               "did you specify the right host or port?")


def test_a_cluster_that_never_answers_hits_the_kubectl_timeout(tmp_path, monkeypatch):
    with socket.socket() as silent:  # accepts connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        monkeypatch.setenv("KUBECONFIG", str(write_kubeconfig(tmp_path / "kc", f"http://127.0.0.1:{port}")))
        started = time.monotonic()
        outcome = service_for(tmp_path, timeout=2.0, runner=Runner(grace=0.5)).kubectl_get_all()
        assert time.monotonic() - started < 6
    assert outcome.status == TIMEOUT
    assert outcome.summary.startswith("timed out after 2s") and "[kubectl] timeout" in outcome.summary


def test_missing_kubectl_names_the_setting(tmp_path):
    config = Config(kubectl=KubectlConfig(binary="kubectl-not-installed"))
    outcome = CheckService(config).kubectl_get_all()
    assert outcome.status == ERROR
    assert outcome.summary.endswith("or set [kubectl] binary in config.toml")
