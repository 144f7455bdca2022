"""The command runner, always with real processes: streaming, stopping, masking, no shell."""

from __future__ import annotations

import json
import shlex
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from hotfix_tui.services.runner import (
    CANCELLED,
    ERROR,
    FAILED,
    INFO,
    MASK,
    PASSED,
    STDERR,
    STDOUT,
    TIMEOUT,
    Runner,
    display_command,
)
from tests.fakes import ECHO_ARGV, TERRAFORM, alive, executable, read_pids, wait_until

PY = sys.executable


def py(code: str) -> list[str]:
    return [PY, "-c", code]


def test_streams_both_streams_in_batches_and_reports_the_result(tmp_path):
    batches = []
    code = "import sys\nfor i in range(5):\n print('out', i, flush=True)\n print('err', i, file=sys.stderr, flush=True)"
    result = Runner().run(py(code), cwd=tmp_path, on_lines=batches.append)

    assert result.status == PASSED and result.ok and result.exit_code == 0 and result.error == ""
    assert result.cwd == str(tmp_path)
    assert result.command == shlex.join(py(code))
    assert result.duration > 0 and result.duration_ms >= 1 and result.started_at[:2] == "20"
    delivered = [line for batch in batches for line in batch]
    assert [t for s, t in delivered if s == STDOUT] == [f"out {i}" for i in range(5)]
    assert [t for s, t in delivered if s == STDERR] == [f"err {i}" for i in range(5)]
    assert result.output == delivered and result.line_count == 10
    assert result.lines(STDOUT)[-1] == "out 4" and result.tail(2)[-1] in ("out 4", "err 4")


def test_exit_codes_decide_passed_or_failed(tmp_path):
    failed = Runner().run(py("raise SystemExit(3)"), cwd=tmp_path)
    assert failed.status == FAILED and failed.exit_code == 3
    assert "exited with code 3" in failed.error
    # terraform plan -detailed-exitcode: 2 means "changes", which the caller accepts.
    changes = Runner().run(py("raise SystemExit(2)"), cwd=tmp_path, ok_codes=(0, 2))
    assert changes.status == PASSED and changes.exit_code == 2


def test_missing_binary_is_an_error_result_naming_the_setting(tmp_path):
    seen = []
    result = Runner().run(["terraform-not-installed-here", "plan"], cwd=tmp_path, on_lines=seen.extend,
                          config_section="terraform")
    assert result.status == ERROR and result.exit_code is None
    assert result.error == ("terraform-not-installed-here not found on PATH: install terraform-not-installed-here "
                            "or set [terraform] binary in config.toml")
    assert seen == [(INFO, result.error)] and result.output == seen

    by_path = Runner().run([str(tmp_path / "bin" / "tofu"), "init"], cwd=tmp_path, config_section="terraform")
    assert by_path.status == ERROR
    assert by_path.error.startswith(f"{tmp_path / 'bin' / 'tofu'} does not exist: install tofu or set [terraform] binary")


def test_missing_working_directory_is_an_error_result(tmp_path):
    result = Runner().run(py("pass"), cwd=tmp_path / "nowhere")
    assert result.status == ERROR and "nowhere does not exist" in result.error


def test_timeout_stops_the_whole_process_group(tmp_path):
    pids_file = tmp_path / "pids"
    started = time.monotonic()
    result = Runner(grace=1.0).run(
        [executable(TERRAFORM), "plan"], cwd=tmp_path, timeout=1.0, config_section="terraform",
        env={"FAKE_TERRAFORM": "hang", "FAKE_TERRAFORM_PIDS": str(pids_file)},
    )
    elapsed = time.monotonic() - started
    assert result.status == TIMEOUT and result.exit_code == -15  # SIGTERM was enough
    assert elapsed < 1.0 + 1.0 + 2.0
    assert "timed out after 1s" in result.error and "[terraform] timeout" in result.error
    assert result.output[-1] == (INFO, result.error)
    assert "Acquiring state lock" in result.text(STDOUT)
    leader, grandchild = read_pids(pids_file)
    # The grandchild is what a plain proc.kill() would have left behind.
    assert wait_until(lambda: not alive(leader) and not alive(grandchild), timeout=5)


def test_cancel_mid_run_stops_it_promptly(tmp_path):
    pids_file = tmp_path / "pids"
    cancel = threading.Event()
    first_line = threading.Event()
    box = {}

    def work():
        box["result"] = Runner(grace=1.0).run(
            [executable(TERRAFORM), "apply"], cwd=tmp_path, cancel=cancel,
            on_lines=lambda batch: first_line.set(),
            env={"FAKE_TERRAFORM": "hang", "FAKE_TERRAFORM_PIDS": str(pids_file)},
        )

    worker = threading.Thread(target=work)
    worker.start()
    assert first_line.wait(10), "the command never printed"
    cancelled_at = time.monotonic()
    cancel.set()
    worker.join(10)
    assert not worker.is_alive()
    assert time.monotonic() - cancelled_at < 1.0 + 1.5
    result = box["result"]
    assert result.status == CANCELLED and "cancelled after" in result.error
    leader, grandchild = read_pids(pids_file)
    assert wait_until(lambda: not alive(leader) and not alive(grandchild), timeout=5)


def test_a_process_ignoring_sigterm_gets_sigkill_after_the_grace_period(tmp_path):
    code = ("import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            "print('ready', flush=True)\nwhile True: time.sleep(1)")
    runner = Runner(grace=0.5)
    ready = threading.Event()
    box = {}
    worker = threading.Thread(target=lambda: box.update(r=runner.run(py(code), on_lines=lambda b: ready.set())))
    worker.start()
    assert ready.wait(10)
    runner.cancel_all()  # the app is closing: every running command stops
    worker.join(10)
    result = box["r"]
    assert result.status == CANCELLED and result.exit_code == -9
    assert any("sent SIGKILL" in text for s, text in result.output if s == INFO)


def test_children_left_holding_the_output_are_stopped(tmp_path):
    # The command exits at once but its background child keeps stdout open for a minute.
    code = ("import subprocess, sys\n"
            "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
            f"open({str(tmp_path / 'pid')!r}, 'w').write(str(p.pid))\nprint('done', flush=True)")
    started = time.monotonic()
    result = Runner(grace=0.5).run(py(code), cwd=tmp_path)
    assert result.status == PASSED and result.lines(STDOUT) == ["done"]
    assert time.monotonic() - started < 5
    assert any("left running" in t for s, t in result.output if s == INFO)
    (pid,) = read_pids(tmp_path / "pid")
    assert wait_until(lambda: not alive(pid), timeout=5)


def test_a_failing_callback_does_not_leave_the_command_running(tmp_path):
    code = ("import os, time\n"
            f"open({str(tmp_path / 'pid')!r}, 'w').write(str(os.getpid()))\n"
            "print('hello', flush=True)\nwhile True: time.sleep(1)")

    def explode(batch):
        raise RuntimeError("the UI went away")

    with pytest.raises(RuntimeError, match="the UI went away"):
        Runner().run(py(code), cwd=tmp_path, on_lines=explode)
    (pid,) = read_pids(tmp_path / "pid")
    assert wait_until(lambda: not alive(pid), timeout=5)


def test_100000_lines_stream_in_batches_with_bounded_memory(tmp_path):
    # ~10 MB of output; the runner may hold only the last 2,000 lines and a bounded queue.
    code = "import sys\nw = sys.stdout.write\nfor i in range(100000): w(f'{i:06d} ' + 'x' * 93 + '\\n')"
    count = 0
    biggest = 0
    batches = 0

    def on_lines(batch):
        nonlocal count, biggest, batches
        count += len(batch)
        biggest = max(biggest, len(batch))
        batches += 1

    tracemalloc.start()
    try:
        result = Runner().run(py(code), cwd=tmp_path, on_lines=on_lines)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == PASSED
    assert count == 100_000 == result.line_count
    assert biggest <= 500 and batches <= 100_000 / 50  # batched, never one call per line
    assert len(result.output) == 2000
    assert result.output[0][1].startswith("098000 ") and result.output[-1][1].startswith("099999 ")
    assert peak < 6 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for 10 MB of output"


def test_long_lines_without_newlines_are_cut_not_buffered_whole(tmp_path):
    code = "import sys\nsys.stdout.write('y' * 300000)"
    result = Runner().run(py(code), cwd=tmp_path)
    assert result.status == PASSED
    assert "".join(result.lines(STDOUT)) == "y" * 300000
    assert max(len(t) for t in result.lines(STDOUT)) <= 64 * 1024


def test_terminal_escape_sequences_are_removed(tmp_path):
    code = r"print('\x1b[31mred\x1b[0m \x1b]52;c;cGF5bG9hZA==\x07plain\rtail')"
    result = Runner().run(py(code), cwd=tmp_path)
    assert result.lines(STDOUT) == ["red plaintail"]


PAYLOADS = [
    "$(touch {marker})",
    "`touch {marker}`",
    "; rm -rf {victim}",
    "x && touch {marker} || touch {marker}",
    "| tee {marker}",
    "> {marker}",
    "'single' \"double\" \\back",
    "*",
    "$HOME ${PATH}",
    "multi\nline",
    "[HOTFIX] MetalLB IP 할당 실패 $(touch /tmp/x)",
]


def test_arguments_reach_the_process_literally_never_through_a_shell(tmp_path):
    marker = tmp_path / "pwned"
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep").write_text("still here")
    tmp_x_existed = Path("/tmp/x").exists()
    args = [p.replace("{marker}", str(marker)).replace("{victim}", str(victim)) for p in PAYLOADS] + ["$(touch /tmp/x)"]

    result = Runner().run([executable(ECHO_ARGV), *args], cwd=tmp_path)

    assert result.status == PASSED
    assert json.loads(result.lines(STDOUT)[0]) == args
    assert not marker.exists()
    assert (victim / "keep").read_text() == "still here"
    if not tmp_x_existed:
        assert not Path("/tmp/x").exists()
    # The displayed command is shell-quoted: pasting it into a shell gives the same argv.
    assert shlex.split(result.command) == [executable(ECHO_ARGV), *args]


def test_secret_values_from_the_environment_are_masked_everywhere(tmp_path, monkeypatch):
    secret = "tok-4f9a1c77e2b0"
    monkeypatch.setenv("JIRA_API_TOKEN", "jira-secret-0001")  # from the process environment too
    env = {"HOTFIX_TEST_API_TOKEN": secret, "DB_PASSWORD": "pw-hunter22", "SHORT_KEY": "abc",
           "ECHO_ENV": "HOTFIX_TEST_API_TOKEN,DB_PASSWORD,SHORT_KEY,JIRA_API_TOKEN"}
    batches = []
    runner = Runner()
    argv = [executable(ECHO_ARGV), f"--token={secret}", "-var", "db=pw-hunter22"]
    assert runner.display(argv, env) == f"{shlex.join([argv[0]])} --token={MASK} -var db={MASK}"

    result = runner.run(argv, cwd=tmp_path, env=env, on_lines=batches.append)

    assert result.command == runner.display(argv, env)
    shown = [text for batch in batches for _, text in batch]
    kept = result.lines()
    for lines in (shown, kept):
        blob = "\n".join(lines)
        assert secret not in blob and "pw-hunter22" not in blob and "jira-secret-0001" not in blob
        assert f"HOTFIX_TEST_API_TOKEN={MASK}" in lines and f"JIRA_API_TOKEN={MASK}" in lines
        assert "SHORT_KEY=abc" in lines  # too short to be a secret; masking it would hide noise
    assert json.loads(kept[0]) == [f"--token={MASK}", "-var", f"db={MASK}"]


def test_display_command_quotes_like_a_shell():
    assert display_command(["terraform", "plan", "-out=my plan.tfplan"]) == "terraform plan '-out=my plan.tfplan'"


def test_a_secret_with_quote_characters_is_masked_in_the_display(tmp_path):
    env = {"GITHUB_TOKEN": "ghp_it's-secret"}
    shown = Runner().display(["gh", "--token", "ghp_it's-secret"], env)
    assert "secret" not in shown and shown == f"gh --token {MASK}"


def test_a_run_cancelled_before_it_starts_never_starts(tmp_path):
    cancel = threading.Event()
    cancel.set()
    result = Runner().run(py(f"open({str(tmp_path / 'ran')!r}, 'w')"), cwd=tmp_path, cancel=cancel)
    assert result.status == CANCELLED and result.exit_code is None
    assert not (tmp_path / "ran").exists()
