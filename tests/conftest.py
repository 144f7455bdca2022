"""Test isolation: every test gets its own config and drafts folders and no real tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "metallb.toml"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """No test reads or writes the real home, config, drafts or tokens."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("HOTFIX_TUI_DRAFTS", str(tmp_path / "drafts"))
    for name in ("HOTFIX_TUI_CONFIG", "JIRA_API_TOKEN", "GITHUB_TOKEN", "GH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    # The one clock is process-wide (set from [ui] timezone by the CLI and the app): each
    # test starts with the machine's zone and leaves it so.
    from hotfix_tui import model

    monkeypatch.setattr(model, "_ZONE", None)
    return tmp_path


@pytest.fixture
def drafts_dir(tmp_path) -> Path:
    return tmp_path / "drafts"


@pytest.fixture
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture
def tf_root(tmp_path) -> Path:
    """A small terraform root folder (main.tf and a metallb module)."""
    root = tmp_path / "infra"
    (root / "modules" / "metallb").mkdir(parents=True)
    (root / "main.tf").write_text('module "metallb" {\n  source = "./modules/metallb"\n}\n')
    (root / "modules" / "metallb" / "main.tf").write_text('resource "kubernetes_config_map" "metallb_config" {}\n')
    return root


@pytest.fixture
def tf_log(tmp_path, monkeypatch) -> Path:
    """Where the fake terraform logs each call (argv, cwd) as a JSON line."""
    log = tmp_path / "terraform-calls.jsonl"
    monkeypatch.setenv("FAKE_TERRAFORM_LOG", str(log))
    return log
