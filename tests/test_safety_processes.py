"""Issue 8 rows 7 and 12: commands never outlive the tool, and their output stays bounded.

Real processes throughout: `hotfix check` runs as a subprocess in its own session, the fake
terraform (tests/fakes/terraform, scenario ``hang``: it starts a child and both sleep) or a
small script stands in for terraform, and signals are real signals.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotfix_tui.model import MAX_OUTPUT_TAIL_BYTES, MAX_RUNS_PER_CHECK, CheckRun, Checks, Draft
from hotfix_tui.services.runner import CANCELLED, DEFAULT_GRACE, MAX_LINE_CHARS, Runner, split_lines
from hotfix_tui.store import DraftStore
from tests.fakes import TERRAFORM, alive, executable, read_pids, wait_until

ROOT = Path(__file__).resolve().parent.parent


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes whose process group is ``pgid``, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state not in ("Z", "X"):
            found.append(int(entry))
    return found


@pytest.fixture
def reaper():
    """Process groups to SIGKILL after the test, so a failing test leaves nothing running."""
    groups: list[int] = []
    yield groups
    for pgid in groups:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def setup_check(tmp_path: Path, binary: str) -> tuple[Path, dict[str, str]]:
    """A terraform root, a config pointing [terraform] binary at ``binary``, a draft."""
    root = tmp_path / "infra"
    root.mkdir()
    (root / "main.tf").write_text('resource "kubernetes_config_map" "metallb_config" {}\n')
    config = tmp_path / "config.toml"
    config.write_text(textwrap.dedent(f"""\
        [git]
        repo_dir = "{tmp_path}"
        [terraform]
        binary = "{binary}"
        dir = "infra"
        timeout = 600
        """), encoding="utf-8")
    store = DraftStore(tmp_path / "drafts")
    path = store.create(Draft(id="cancel-me")).path
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOTFIX_TUI_CONFIG": str(config),
           "HOTFIX_TUI_DRAFTS": str(tmp_path / "drafts")}
    return path, env


def start_check(path: Path, env: dict[str, str], *extra: str) -> subprocess.Popen:
    # Its own session, like a CI job or an SSH login: our signals go to it alone.
    return subprocess.Popen([sys.executable, "-m", "hotfix_tui", "check", str(path), "--only", "plan", *extra],
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


# -- row 7 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_row_7_hotfix_check_killed_during_plan_stops_terraform_and_records_cancelled(tmp_path, sig, reaper):
    """row 7: `hotfix check` killed with SIGTERM/SIGHUP (and Ctrl-C) during plan: no terraform left."""
    path, env = setup_check(tmp_path, executable(TERRAFORM))
    pids = tmp_path / "pids"
    proc = start_check(path, {**env, "FAKE_TERRAFORM": "hang", "FAKE_TERRAFORM_PIDS": str(pids)})
    try:
        terraform, child = read_pids(pids, timeout=60)
        reaper.append(terraform)
        assert alive(terraform) and alive(child)
        assert group_members(terraform)  # terraform leads its own group, with its child in it

        proc.send_signal(sig)
        out, err = proc.communicate(timeout=DEFAULT_GRACE + 60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()

    assert proc.returncode == 128 + sig, err
    # hotfix waited for the group before exiting: nothing of it is left (zombies aside,
    # which PID 1 reaps), so no state lock is held.
    assert wait_until(lambda: not alive(terraform) and not alive(child), timeout=5)
    assert group_members(terraform) == []
    assert f"stopped by {sig.name}" in err
    draft = DraftStore(tmp_path / "drafts").load(path).draft
    run = draft.checks.runs[-1]
    assert (run.name, run.status) == ("plan", "cancelled")
    assert run.summary.startswith(f"{sig.name}: cancelled after")
    assert any("plan" in e.text for e in draft.timeline)


STUBBORN = """\
#!{python}
# A terraform that ignores SIGTERM, with a child that ignores it too.
import os, signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c",
    "import signal, time\\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\\nwhile True: time.sleep(1)"])
with open(os.environ["STUBBORN_PIDS"], "w") as fh:
    fh.write(f"{os.getpid()} {child.pid}\\n")
while True:
    time.sleep(1)
"""


def test_row_7_a_terraform_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path, reaper):
    """row 7: TERM first, then KILL after the grace period, for the whole group."""
    script = tmp_path / "stubborn-terraform"
    script.write_text(STUBBORN.replace("{python}", sys.executable))
    script.chmod(0o755)
    path, env = setup_check(tmp_path, str(script))
    pids = tmp_path / "pids"
    proc = start_check(path, {**env, "STUBBORN_PIDS": str(pids)})
    try:
        terraform, child = read_pids(pids, timeout=60)
        reaper.append(terraform)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=DEFAULT_GRACE + 60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert wait_until(lambda: not alive(terraform) and not alive(child), timeout=5)
    run = DraftStore(tmp_path / "drafts").load(path).draft.checks.runs[-1]
    assert run.status == "cancelled" and "SIGKILL" in run.output_tail


def test_row_7_cancel_all_stops_every_running_group_before_it_returns(tmp_path, reaper):
    """row 7 (the wizard's quit/SIGHUP path): Runner.cancel_all is TERM→KILL on the whole group."""
    runner = Runner(grace=1.0)
    pids = tmp_path / "pids"
    results = []
    env = {"FAKE_TERRAFORM": "hang", "FAKE_TERRAFORM_PIDS": str(pids)}
    worker = threading.Thread(target=lambda: results.append(
        runner.run([executable(TERRAFORM), "plan"], cwd=tmp_path, env=env)))
    worker.start()
    terraform, child = read_pids(pids, timeout=30)
    reaper.append(terraform)

    runner.cancel_all()
    # No waiting here: cancel_all itself returned only once the group was gone.
    assert not alive(terraform) and not alive(child) and group_members(terraform) == []
    worker.join(30)
    assert results[0].status == CANCELLED


# -- row 12 ---------------------------------------------------------------------------------


FLOOD = """\
#!{python}
# terraform plan printing 50 MB without a single newline.
import sys
if sys.argv[1:2] == ["plan"]:
    block = "0123456789abcdef" * 4096
    for _ in range(800):
        sys.stdout.write(block)
    sys.stdout.flush()
sys.exit(0)
"""


MEASURE_RSS = """\
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def test_row_12_fifty_megabytes_without_newlines_keep_the_draft_and_memory_bounded(tmp_path):
    """row 12: terraform printing 50 MB without newlines: small draft, bounded RSS, cut pieces."""
    script = tmp_path / "flood-terraform"
    script.write_text(FLOOD.replace("{python}", sys.executable))
    script.chmod(0o755)
    path, env = setup_check(tmp_path, str(script))
    # The RSS is measured by a small launcher: a child forked from this (large) pytest
    # process would report pytest's RSS from before its exec as its own maximum.
    maxrss_file = tmp_path / "maxrss"
    proc = subprocess.Popen([sys.executable, "-c", MEASURE_RSS, str(maxrss_file), sys.executable, "-m",
                             "hotfix_tui", "check", str(path), "--only", "plan", "-v"],  # -v: pieces printed live
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    longest = 0
    printed = 0
    for line in proc.stdout:
        longest = max(longest, len(line))
        printed += len(line)
    proc.stderr.read()
    proc.wait(timeout=120)
    maxrss_kib = int(maxrss_file.read_text())

    assert proc.returncode == 0
    assert printed > 50_000_000  # all of it was streamed…
    assert longest <= MAX_LINE_CHARS + 8  # …in pieces ("  | " + piece + newline)
    assert maxrss_kib < 150 * 1024, f"max RSS {maxrss_kib / 1024:.0f} MB"  # KiB on Linux
    assert path.stat().st_size < 64 * 1024
    run = DraftStore(tmp_path / "drafts").load(path).draft.checks.runs[-1]
    assert run.status == "passed" and len(run.output_tail.encode()) <= MAX_OUTPUT_TAIL_BYTES


def test_row_12_only_the_last_runs_of_each_check_are_kept():
    """row 12: a draft keeps the newest MAX_RUNS_PER_CHECK runs per check, each bounded."""
    checks = Checks()
    checks.add_run(CheckRun(name="validate", status="passed"))
    for i in range(MAX_RUNS_PER_CHECK + 3):
        checks.add_run(CheckRun(name="plan", status="failed", summary=str(i), output_tail="y" * 100_000))
    plans = [r for r in checks.runs if r.name == "plan"]
    assert [r.summary for r in plans] == [str(i) for i in range(3, MAX_RUNS_PER_CHECK + 3)]
    assert [r.name for r in checks.runs][0] == "validate"
    assert all(len(r.output_tail.encode()) <= MAX_OUTPUT_TAIL_BYTES for r in plans)
    assert plans[-1].output_tail.startswith("[… earlier output not kept]")


EXITING_PROGRAM = """\
import os, sys, threading
from hotfix_tui.services.runner import Runner
terraform, pids = sys.argv[1], sys.argv[2]
runner = Runner(grace=1.0)
env = {"FAKE_TERRAFORM": "hang", "FAKE_TERRAFORM_PIDS": pids}
threading.Thread(target=runner.run, args=([terraform, "plan"],), kwargs={"cwd": os.getcwd(), "env": env}).start()
while not (os.path.exists(pids) and open(pids).read().strip()):
    pass
raise SystemExit(3)  # the program ends while its worker thread still runs terraform
"""


def test_row_7_a_program_exiting_with_a_command_running_stops_its_group(tmp_path, reaper):
    """row 7 (every runner use): exiting while a worker thread runs terraform stops the group."""
    pids = tmp_path / "pids"
    done = subprocess.run([sys.executable, "-c", EXITING_PROGRAM, executable(TERRAFORM), str(pids)],
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
                          capture_output=True, text=True)
    assert done.returncode == 3, done.stderr
    terraform, child = read_pids(pids)
    reaper.append(terraform)
    assert wait_until(lambda: not alive(terraform) and not alive(child), timeout=5)


def test_row_12_pieces_rejoin_to_the_output_and_keep_multibyte_characters_whole(tmp_path):
    """row 12: cutting never loses or breaks a character, even where a read block ends."""
    code = "import sys\nsys.stdout.write('가나다' * 70000 + '\\nend\\n')"
    result = Runner().run([sys.executable, "-c", code], cwd=tmp_path)
    pieces = result.lines()
    assert max(len(p) for p in pieces) <= MAX_LINE_CHARS
    assert "".join(pieces[:-1]) == "가나다" * 70000 and pieces[-1] == "end"


@given(st.text(alphabet="ab \n,가", max_size=20000), st.booleans())
@settings(max_examples=60, deadline=None)
def test_row_12_split_lines_is_lossless_and_bounded(text, final):
    pieces, rest = split_lines(text, final=final)
    assert all(len(p) <= MAX_LINE_CHARS for p in pieces)
    assert len(rest) <= MAX_LINE_CHARS
    # Newlines end lines; a cut inside a line just continues in the next piece.
    assert "".join(pieces) + rest == text.replace("\n", "")
    if final:
        assert rest == ""
