"""Services made from the config are built on first use (issue 12: importing terraform,
kubectl, git and GitHub support was a tenth of the time to a phase screen's first frame),
and still one of each: one runner for every command the app starts."""

from __future__ import annotations

import sys
import threading

from hotfix_tui.config import Config
from hotfix_tui.services import Services


def test_nothing_is_built_until_asked_and_then_once():
    services = Services.from_config(Config())
    assert not any(services.built(name) for name in ("jira", "github", "git", "checks"))
    jira = services.jira
    assert services.built("jira") and services.jira is jira
    assert not services.built("checks")


def test_git_is_built_with_the_check_services_runner():
    services = Services.from_config(Config())
    git = services.git
    assert services.built("checks")
    assert git.runner is services.checks.runner


def test_threads_asking_at_once_get_the_same_service():
    services = Services.from_config(Config())
    got, start = [], threading.Barrier(4)

    def ask():
        start.wait()
        got.append(services.checks)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 4 and all(service is got[0] for service in got)


def test_services_built_by_hand_count_as_built():
    """Tests and the CLI may pass their own: every one of them is there already."""
    services = Services(jira=None, github=None, git=None)
    assert services.built("checks")


def test_building_the_app_services_imports_no_service_module():
    import subprocess

    code = ("import sys; from hotfix_tui.config import Config; from hotfix_tui.services import Services;"
            "Services.from_config(Config());"
            "print(sorted(m for m in ('hotfix_tui.services.checks', 'hotfix_tui.services.git',"
            " 'hotfix_tui.services.github', 'hotfix_tui.services.terraform') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
