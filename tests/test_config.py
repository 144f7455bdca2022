"""Config loading, its error messages, token lookup and where files live."""

from __future__ import annotations

import dataclasses
import os
import shlex
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import platformdirs
import pytest

from hotfix_tui import config as config_module
from hotfix_tui import paths
from hotfix_tui.config import (
    Config,
    ConfigError,
    GithubConfig,
    JiraConfig,
    KubectlConfig,
    load_config,
)
from hotfix_tui.services import credentials
from hotfix_tui.services.credentials import github_token_env_names, resolve_token

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = REPO_ROOT / "config.example.toml"
TOKEN = "s3cr3t-t0ken-value"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point every user dir at a fresh, not-yet-existing folder, so tests can also check
    that nothing gets created (conftest's own home folder already exists)."""
    home = tmp_path / "user-home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in (
        paths.CONFIG_ENV,
        paths.DRAFTS_ENV,
        "JIRA_API_TOKEN",
        "GITHUB_TOKEN",
        "GH_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    return home


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str) -> Config:
    return load_config(write(tmp_path, text))


# ------------------------------------------------------------------------ no config


def test_missing_default_file_gives_defaults_and_creates_nothing(isolated: Path) -> None:
    cfg = load_config()
    assert cfg == Config()
    assert cfg.path is None
    assert cfg.jira.project_key == "TERRAFORM"
    assert cfg.jira.statuses.in_progress == "진행 중"
    assert cfg.jira.statuses.testing == "테스트 진행중"
    assert cfg.jira.statuses.done == "완료"
    assert cfg.jira.priorities == {"Critical": "Critical", "High": "High"}
    assert cfg.github.labels == ["hotfix"]
    assert cfg.github.reviewers == []
    assert cfg.monitor.minutes == 30
    assert cfg.ui.language == "ko"
    assert paths.drafts_dir(cfg) == paths.default_drafts_dir()
    assert not isolated.exists()


def test_default_locations_follow_platformdirs(isolated: Path) -> None:
    assert paths.config_path() == platformdirs.user_config_path("hotfix-tui") / "config.toml"
    assert paths.default_drafts_dir() == platformdirs.user_data_path("hotfix-tui") / "drafts"
    if sys.platform.startswith("linux"):
        assert paths.config_path() == isolated / ".config" / "hotfix-tui" / "config.toml"
        assert paths.default_drafts_dir() == (
            isolated / ".local" / "share" / "hotfix-tui" / "drafts"
        )


def test_config_env_that_names_a_missing_file_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "config.toml"
    monkeypatch.setenv(paths.CONFIG_ENV, str(missing))
    with pytest.raises(ConfigError) as err:
        load_config()
    assert str(err.value) == f"HOTFIX_TUI_CONFIG names {missing}, which does not exist"
    assert err.value.path == missing
    assert err.value.key is None


def test_config_env_picks_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = write(tmp_path, '[jira]\nproject_key = "OPS"\n', "elsewhere.toml")
    monkeypatch.setenv(paths.CONFIG_ENV, str(path))
    assert paths.config_path() == path
    cfg = load_config()
    assert cfg.jira.project_key == "OPS"
    assert cfg.path == path


def test_explicit_path_missing_is_defaults_unless_required(tmp_path: Path) -> None:
    missing = tmp_path / "absent.toml"
    assert load_config(missing) == Config()
    with pytest.raises(ConfigError, match="does not exist") as err:
        load_config(missing, required=True)
    assert err.value.path == missing


def test_empty_file_gives_defaults_with_path(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    cfg = load_config(path)
    assert dataclasses.replace(cfg, path=None) == Config()
    assert cfg.path == path


def test_modules_do_not_import_textual_or_create_dirs(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HOME": str(tmp_path / "h"),
        "XDG_CONFIG_HOME": str(tmp_path / "h" / "cfg"),
        "XDG_DATA_HOME": str(tmp_path / "h" / "data"),
        "PYTHONPATH": str(REPO_ROOT),
    }
    code = (
        "import sys, hotfix_tui.paths, hotfix_tui.config as c;"
        "c.load_config(); hotfix_tui.paths.drafts_dir(c.Config());"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
    assert not (tmp_path / "h").exists()


# ------------------------------------------------------------------------ the example


def test_example_file_loads() -> None:
    cfg = load_config(EXAMPLE)
    assert cfg.path == EXAMPLE
    assert cfg.jira.url == "https://gjrjr4545.atlassian.net"
    assert cfg.jira.project_key == "TERRAFORM"
    assert cfg.github.repo == "infra/platform"
    assert cfg.jira.browse_url("TERRAFORM-7") == (
        "https://gjrjr4545.atlassian.net/browse/TERRAFORM-7"
    )
    assert cfg.jira.statuses == config_module.JiraStatuses()


def _fields(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def test_example_file_documents_every_field() -> None:
    """So the example never drifts from the code: each dataclass field is in it."""
    raw = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    sections = [f for f in dataclasses.fields(Config) if f.name != "path"]
    assert sorted(raw) == sorted(f.name for f in sections)
    for section in sections:
        cls = type(getattr(Config(), section.name))
        for name in _fields(cls):
            assert name in raw[section.name], f"[{section.name}] {name} missing from example"
    for name in _fields(config_module.JiraStatuses):
        assert name in raw["jira"]["statuses"]
    assert set(Config().jira.priorities) <= set(raw["jira"]["priorities"])


def test_example_file_has_a_comment_above_every_setting() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            above = [l for l in lines[max(0, index - 3) : index] if l.strip()]
            assert any(l.startswith("#") for l in above), f"no comment for: {line}"


# ------------------------------------------------------------------------- bad files


def test_invalid_toml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[jira]\nurl = "https://x"\nproject_key = TERRAFORM\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ")
    assert "line 3" in message
    assert err.value.path == path


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'[ui]\nlanguage = "\xff"\n')
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(path)


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read") as err:
        load_config(tmp_path)
    assert err.value.path == tmp_path


def test_project_key_message_matches_the_documented_form(tmp_path: Path) -> None:
    path = write(tmp_path, '[jira]\nproject_key = "terra form"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == (
        f'{path}: [jira] project_key must be upper-case letters/digits like "TERRAFORM"'
        ' (got "terra form")'
    )
    assert err.value.key == "jira.project_key"
    assert err.value.path == path


BAD_VALUES = [
    ('[jira]\nurl = "gjrjr4545.atlassian.net"', "jira.url", "http(s) URL"),
    ('[jira]\nurl = 5', "jira.url", "http(s) URL"),
    ('[jira]\nauth = "token"', "jira.auth", 'one of "auto", "basic", "bearer"'),
    ('[jira]\nauth = "basic"', "jira.user", 'must be set when auth = "basic"'),
    ('[jira]\ntimeout = "20"', "jira.timeout", "positive number of seconds"),
    ("[jira]\ntimeout = 0", "jira.timeout", "positive number of seconds"),
    ("[jira]\ntimeout = true", "jira.timeout", "positive number of seconds"),
    ('[jira]\ntoken_env = "JIRA-TOKEN"', "jira.token_env", "environment variable name"),
    ("[jira]\ntoken_command = \"op read 'x\"", "jira.token_command", "cannot be split"),
    ('[jira]\nissue_type = ""', "jira.issue_type", "issue type name"),
    ('[jira.statuses]\ndone = ""', "jira.statuses.done", "Jira status name"),
    ("[jira.statuses]\ndone = 1", "jira.statuses.done", "Jira status name"),
    ("[jira]\nstatuses = 1", "jira.statuses", "must be a table"),
    ("[jira.priorities]\nCritical = 1", "jira.priorities.Critical", "priority name"),
    ('[github]\nrepo = "platform"', "github.repo", '"owner/name"'),
    ('[github]\nrepo = "infra/platform/extra"', "github.repo", '"owner/name"'),
    ('[github]\nbase_url = ""', "github.base_url", "http(s) URL"),
    ('[github]\nmerge_method = "fast-forward"', "github.merge_method", '"squash"'),
    ('[github]\nreviewers = "alice"', "github.reviewers", "list of GitHub logins"),
    ('[github]\nreviewers = ["al ice"]', "github.reviewers", '"al ice" is not one'),
    ('[github]\nlabels = [""]', "github.labels", "list of label names"),
    ('[github]\nslack_webhook_env = "https://hooks"', "github.slack_webhook_env", "variable"),
    ('[git]\nremote = ""', "git.remote", "git remote name"),
    ('[git]\nmain_branch = "feature..x"', "git.main_branch", "git branch name"),
    ('[git]\nmain_branch = "my branch"', "git.main_branch", "git branch name"),
    ('[git]\nrepo_dir = ""', "git.repo_dir", "non-empty path"),
    ('[terraform]\nbinary = ""', "terraform.binary", "program name or path"),
    ("[terraform]\ntimeout = -1", "terraform.timeout", "positive number"),
    ('[kubectl]\nnamespace = "Prod"', "kubectl.namespace", "Kubernetes namespace"),
    ('[kubectl]\nproduction_pattern = "prod("', "kubectl.production_pattern", "not compile"),
    ("[monitor]\nminutes = 0", "monitor.minutes", "from 1 to 240"),
    ("[monitor]\nminutes = 241", "monitor.minutes", "from 1 to 240"),
    ("[monitor]\nminutes = 30.5", "monitor.minutes", "whole number"),
    ('[monitor]\nminutes = "30"', "monitor.minutes", "whole number"),
    ("[monitor]\ninterval_seconds = 1", "monitor.interval_seconds", "from 5 to 600"),
    ('[ui]\nlanguage = "jp"', "ui.language", 'one of "ko", "en"'),
    ("[drafts]\ndir = 3", "drafts.dir", "a string"),
    ('jira = "x"', "jira", "must be a table"),
]


@pytest.mark.parametrize(("text", "key", "expected"), BAD_VALUES)
def test_bad_value_names_file_key_and_expectation(
    tmp_path: Path, text: str, key: str, expected: str
) -> None:
    path = write(tmp_path, text + "\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    section, _, leaf = key.rpartition(".")
    table = "must be a table" in expected
    shown = f"[{section}] {leaf}" if section and not table else f"[{key}]"
    assert message.startswith(f"{path}: {shown} ")
    assert expected in message
    assert err.value.key == key
    assert err.value.path == path


UNKNOWN = [
    ('[jira]\nprojct_key = "X"', "jira.projct_key", 'did you mean "project_key"?'),
    ("[jra]\n", "jra", "did you mean [jira]?"),
    ('[jira.statuses]\ninprogress = "x"', "jira.statuses.inprogress", '"in_progress"'),
    ('[jira.priorities]\ncritical = "P1"', "jira.priorities.critical", '"Critical"'),
    ("[monitor]\nminute = 30", "monitor.minute", 'did you mean "minutes"?'),
    ("[github]\nreviewer = []", "github.reviewer", 'did you mean "reviewers"?'),
    ('language = "en"', "language", 'did you mean "language" under [ui]?'),
    ('project_key = "X"\n[jira]', "project_key", 'did you mean "project_key" under [jira]?'),
    ("zzz = 1", "zzz", "settings go in sections: [jira], [github]"),
    ("[git]\nzzz = 1", "git.zzz", "valid keys: remote, main_branch, repo_dir"),
]


@pytest.mark.parametrize(("text", "key", "hint"), UNKNOWN)
def test_unknown_keys_are_errors_with_a_suggestion(
    tmp_path: Path, text: str, key: str, hint: str
) -> None:
    path = write(tmp_path, text + "\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: ")
    assert hint in str(err.value)
    assert err.value.key == key


# --------------------------------------------------------------------- normalisation


def test_values_are_normalised(tmp_path: Path) -> None:
    cfg = load_text(
        tmp_path,
        """
        [jira]
        url = "https://jira.example.com/jira/"
        [jira.priorities]
        Critical = "Highest"
        [github]
        base_url = "https://github.example.com/api/v3/"
        reviewers = ["@alice", "infra/sre"]
        [monitor]
        minutes = 45
        [jira.statuses]
        done = "Done"
        """,
    )
    assert cfg.jira.url == "https://jira.example.com/jira"
    assert cfg.jira.browse_url("OPS-1") == "https://jira.example.com/jira/browse/OPS-1"
    # Mapping only Critical keeps the default for High.
    assert cfg.jira.priorities == {"Critical": "Highest", "High": "High"}
    assert cfg.jira.priority_for("Critical") == "Highest"
    assert cfg.jira.priority_for("Low") == "Low"
    assert cfg.jira.statuses.done == "Done"
    assert cfg.jira.statuses.in_progress == "진행 중"
    assert cfg.github.base_url == "https://github.example.com/api/v3"
    assert cfg.github.reviewers == ["alice", "infra/sre"]
    assert cfg.monitor.minutes == 45
    assert isinstance(cfg.jira.timeout, float)


def test_integer_timeout_becomes_float(tmp_path: Path) -> None:
    assert load_text(tmp_path, "[terraform]\ntimeout = 1200\n").terraform.timeout == 1200.0


def test_tofu_and_paths_are_accepted(tmp_path: Path, isolated: Path) -> None:
    cfg = load_text(
        tmp_path,
        """
        [terraform]
        binary = "~/bin/tofu"
        dir = "environments/prod"
        [git]
        repo_dir = "~/src/platform"
        """,
    )
    assert cfg.terraform.binary == str(isolated / "bin" / "tofu")
    assert cfg.terraform.dir == "environments/prod"
    assert cfg.git.repo_dir == str(isolated / "src" / "platform")


def test_browse_url_is_empty_without_jira() -> None:
    assert JiraConfig().browse_url("TERRAFORM-1") == ""


def test_auth_mode() -> None:
    assert JiraConfig().auth_mode == "bearer"
    assert JiraConfig(user="me@example.com").auth_mode == "basic"
    assert JiraConfig(user="me@example.com", auth="bearer").auth_mode == "bearer"


def test_production_pattern() -> None:
    kube = KubectlConfig(production_pattern="prod|live")
    assert kube.is_production("eks-prod-apne2")
    assert kube.is_production("live-1")
    assert not kube.is_production("staging")


def test_config_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Config().jira.project_key = "X"  # type: ignore[misc]


# ---------------------------------------------------------------------- drafts folder


def test_drafts_dir_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = write(tmp_path, f'[drafts]\ndir = "{tmp_path / "from-config"}"\n')
    cfg = load_config(path)
    # env > config
    monkeypatch.setenv(paths.DRAFTS_ENV, str(tmp_path / "from-env"))
    assert paths.drafts_dir(cfg) == tmp_path / "from-env"
    # config > default
    monkeypatch.delenv(paths.DRAFTS_ENV)
    assert paths.drafts_dir(cfg) == tmp_path / "from-config"
    # default when neither
    assert paths.drafts_dir(Config()) == paths.default_drafts_dir()
    assert paths.drafts_dir() == paths.default_drafts_dir()
    # an empty variable counts as unset
    monkeypatch.setenv(paths.DRAFTS_ENV, "")
    assert paths.drafts_dir(cfg) == tmp_path / "from-config"


def test_relative_drafts_dir_is_taken_from_the_config_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    cfg = load_config(write(folder, '[drafts]\ndir = "drafts"\n'))
    monkeypatch.chdir(tmp_path)
    assert paths.drafts_dir(cfg) == folder / "drafts"


def test_drafts_dir_expands_home(isolated: Path, tmp_path: Path) -> None:
    cfg = load_text(tmp_path, '[drafts]\ndir = "~/hotfix-drafts"\n')
    assert paths.drafts_dir(cfg) == isolated / "hotfix-drafts"


def test_drafts_env_expands_home(monkeypatch: pytest.MonkeyPatch, isolated: Path) -> None:
    monkeypatch.setenv(paths.DRAFTS_ENV, "~/d")
    assert paths.drafts_dir(Config()) == isolated / "d"


# ----------------------------------------------------------------------------- tokens


def python_command(code: str) -> str:
    return shlex.join([sys.executable, "-c", code])


def test_token_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIRA_API_TOKEN", f"  {TOKEN}\n")
    assert resolve_token("JIRA_API_TOKEN", python_command("print('other')")) == TOKEN


def test_token_from_fallback_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    names = github_token_env_names(GithubConfig())
    assert names == ["GITHUB_TOKEN", "GH_TOKEN"]
    assert resolve_token(names[0], "", names[1:]) == TOKEN
    monkeypatch.setenv("GITHUB_TOKEN", "first")
    assert resolve_token(names[0], "", names[1:]) == "first"


def test_github_token_env_names() -> None:
    assert github_token_env_names(Config()) == ["GITHUB_TOKEN", "GH_TOKEN"]
    assert github_token_env_names(GithubConfig(token_env="CORP_GH")) == ["CORP_GH"]
    assert github_token_env_names(GithubConfig(token_env="")) == []


def test_token_from_command() -> None:
    assert resolve_token("JIRA_API_TOKEN", python_command("print('tok')")) == "tok"


def test_no_token_configured_is_none() -> None:
    assert resolve_token("JIRA_API_TOKEN", "") is None
    assert resolve_token("", "   ") is None


def test_failing_command_message_hides_the_token() -> None:
    command = python_command(
        f"import sys; print({TOKEN!r}); print({TOKEN!r}, file=sys.stderr); sys.exit(3)"
    )
    with pytest.raises(ConfigError) as err:
        resolve_token("JIRA_API_TOKEN", command)
    message = str(err.value)
    assert "status 3" in message
    assert TOKEN not in message
    assert TOKEN not in repr(err.value)


def test_missing_command(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="was not found"):
        resolve_token("", str(tmp_path / "no-such-program"))


def test_command_printing_nothing() -> None:
    with pytest.raises(ConfigError, match="printed nothing"):
        resolve_token("", python_command("pass"))


def test_command_with_bad_quoting() -> None:
    with pytest.raises(ConfigError, match="shell-style"):
        resolve_token("", "op read 'unterminated")


def test_command_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(credentials, "TOKEN_COMMAND_TIMEOUT", 0.5)
    with pytest.raises(ConfigError, match="did not finish"):
        resolve_token("", python_command("import time; time.sleep(30)"))


def test_command_runs_without_a_shell() -> None:
    # With a shell, `$HOME` would expand; without one it is passed literally.
    out = resolve_token("", python_command("import sys; print(sys.argv[1])") + " '$HOME'")
    assert out == "$HOME"
