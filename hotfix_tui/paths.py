"""Where hotfix-tui keeps its files: the config file, the drafts and the recovery folders.

Every path the app reads or writes is decided here, so the environment overrides
(``HOTFIX_TUI_CONFIG``, ``HOTFIX_TUI_DRAFTS``, ``HOTFIX_TUI_RECOVERY``) behave the same in
the TUI, the CLI and the tests. Nothing here creates a folder: callers create what they write to, when they
write to it, so merely starting the app (or importing this module) leaves no trace.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:  # config imports this module; a runtime import would be circular
    from .config import Config

APP_NAME = "hotfix-tui"
CONFIG_ENV = "HOTFIX_TUI_CONFIG"
DRAFTS_ENV = "HOTFIX_TUI_DRAFTS"
RECOVERY_ENV = "HOTFIX_TUI_RECOVERY"


def _env_path(name: str) -> Path | None:
    # An empty value is what `VAR= hotfix` or an unset-by-template CI variable gives;
    # treating it as a path would silently mean "the current directory".
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def config_path() -> Path:
    """The config file to read: ``$HOTFIX_TUI_CONFIG``, else the user config dir."""
    return _env_path(CONFIG_ENV) or platformdirs.user_config_path(APP_NAME) / "config.toml"


def config_path_from_env() -> bool:
    """True when ``HOTFIX_TUI_CONFIG`` chose the config file.

    A file someone named explicitly must exist; the default location may be absent.
    """
    return _env_path(CONFIG_ENV) is not None


def default_drafts_dir() -> Path:
    """Drafts are data the user made, not settings, so they go in the user data dir."""
    return platformdirs.user_data_path(APP_NAME) / "drafts"


def drafts_dir(config: Config | None = None) -> Path:
    """The drafts folder: ``$HOTFIX_TUI_DRAFTS``, else ``[drafts] dir``, else the default.

    A relative ``[drafts] dir`` is taken from the config file's folder, not the current
    directory, so the same config finds the same drafts wherever ``hotfix`` is started.
    """
    from_env = _env_path(DRAFTS_ENV)
    if from_env is not None:
        return from_env
    configured = config.drafts.dir.strip() if config is not None else ""
    if not configured:
        return default_drafts_dir()
    folder = Path(configured).expanduser()
    if not folder.is_absolute() and config is not None and config.path is not None:
        folder = config.path.expanduser().absolute().parent / folder
    return folder


def recovery_dir() -> Path:
    """Where unsaved edits go when their draft cannot be saved: ``$HOTFIX_TUI_RECOVERY``,
    else ``recovery`` in the user state dir.

    Not inside the drafts folder on purpose: the reason a save failed (a full or
    read-only disk, a folder someone else owns) usually holds for the whole folder.
    """
    return _env_path(RECOVERY_ENV) or platformdirs.user_state_path(APP_NAME) / "recovery"
