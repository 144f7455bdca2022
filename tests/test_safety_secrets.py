"""Issue 8 rows 10 and 14: secrets stay secret in every encoding, in messages and in command output.

Real parts: `hotfix jira create` and `hotfix check` run as subprocesses, the real ``jira``
client against the loopback Jira server, a small script standing in for terraform.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import textwrap
import urllib.parse
from pathlib import Path

import pytest

from hotfix_tui.model import Draft
from hotfix_tui.services import secrets
from hotfix_tui.services.errors import redact
from hotfix_tui.services.runner import Runner
from hotfix_tui.store import DraftStore

from .conftest import EXAMPLE
from .servers.jira_server import JiraServer

USER = "oncall@example.com"
TOKEN = "jira-Tok+en/7f3a9c=="  # '+', '/' and '=' change under percent-encoding
ROOT = Path(__file__).resolve().parent.parent


def hotfix(*argv: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "hotfix_tui", *argv], capture_output=True, text=True,
                          env=full_env, timeout=timeout, stdin=subprocess.DEVNULL)


def spellings(user: str, token: str) -> list[str]:
    pair = f"{user}:{token}".encode()
    b64 = base64.b64encode(pair).decode()
    return [token, urllib.parse.quote(token, safe=""), b64, b64.rstrip("="), urllib.parse.quote(b64, safe=""),
            base64.urlsafe_b64encode(pair).decode()]


# -- row 10 ---------------------------------------------------------------------------------


def test_row_10_basic_auth_echoed_by_a_proxy_500_never_reaches_stderr_or_the_draft(tmp_path):
    """row 10: Jira (basic auth) behind a proxy that echoes the Authorization header in a 500."""
    with JiraServer(user=USER, token=TOKEN) as jira:
        jira.echo_authorization()
        config = tmp_path / "config.toml"
        config.write_text(textwrap.dedent(f"""\
            [jira]
            url = "{jira.origin}"
            user = "{USER}"
            auth = "basic"
            token_env = "JIRA_API_TOKEN"
            timeout = 5
            """), encoding="utf-8")
        store = DraftStore(tmp_path / "drafts")
        draft = store.load(EXAMPLE).draft
        draft.id = "metallb"
        draft.backlog.jira_key = draft.backlog.jira_url = ""
        path = store.create(draft).path

        done = hotfix("jira", "create", "metallb", env={
            "HOTFIX_TUI_CONFIG": str(config), "HOTFIX_TUI_DRAFTS": str(tmp_path / "drafts"),
            "JIRA_API_TOKEN": TOKEN,
        })
        # The proxy really did echo the credential: the test would prove nothing otherwise.
        assert jira.requests and jira.requests[0].headers["authorization"].startswith("Basic ")

    assert done.returncode == 1, done.stderr
    assert "HTTP 500" in done.stderr and "****" in done.stderr
    stored = path.read_text(encoding="utf-8")
    for form in spellings(USER, TOKEN):
        assert form not in done.stderr, f"{form!r} leaked to stderr: {done.stderr}"
        assert form not in done.stdout
        assert form not in stored


def test_row_10_every_encoding_of_a_registered_basic_credential_is_masked():
    """row 10: the token, base64("user:token") (bare or after "Basic "), percent-encoded forms."""
    user, token = "ops@example.com", "r10-Secret/Value+1"
    secrets.register_basic(user, token)
    b64 = base64.b64encode(f"{user}:{token}".encode()).decode()
    for form in spellings(user, token):
        text = f"proxy said: {form} (see Basic {form})"
        assert form not in redact(text)
    # The shape is masked even for a credential nobody registered.
    assert redact("Authorization: Basic dXNlcjpzb21lLXRva2VuMQ==") == "Authorization: Basic ****"
    assert "Zm9v" not in redact('{"Authorization": ["Basic Zm9vOmJhcjEyMw=="]}')
    # Prose is left alone.
    assert redact("Basic authentication is required") == "Basic authentication is required"
    assert b64 not in redact(urllib.parse.unquote(urllib.parse.quote(b64)))


def test_url_userinfo_keeps_the_user_and_hides_the_password():
    assert redact("cloning postgres://app:pw-s3cret@db.internal:5432/app") == \
        "cloning postgres://app:****@db.internal:5432/app"
    assert redact("remote https://ghp_0123456789abcdefABCD@github.com/o/r") == "remote https://****@github.com/o/r"
    assert redact("ssh://git@github.com/o/r") == "ssh://git@github.com/o/r"


# -- row 14 ---------------------------------------------------------------------------------


LEAKY_TERRAFORM = """\
#!{python}
import os, sys
if sys.argv[1:2] == ["plan"]:
    print("TF_VAR_db_pass=" + os.environ["TF_VAR_db_pass"])
    print("DATABASE_URL=" + os.environ["DATABASE_URL"])
    print("connecting to " + os.environ["DATABASE_URL"] + " as app")
    if "HOTFIX_OPAQUE" in os.environ:
        print("opaque " + os.environ["HOTFIX_OPAQUE"] + " and quoted " + os.environ["HOTFIX_OPAQUE_Q"])
    print('  + admin_password = "literal-pw-in-plan"')
    print("export API_TOKEN='tok-in-output-1'", file=sys.stderr)
    print("Error: failed with DB_PASSWORD=printed-pw-42", file=sys.stderr)
    sys.exit(1)
sys.exit(0)
"""


def leaky_check(tmp_path, secrets_section: str = ""):
    """A config whose terraform prints secrets from its environment, and a draft to record in."""
    script = tmp_path / "bin" / "terraform"
    script.parent.mkdir()
    script.write_text(LEAKY_TERRAFORM.replace("{python}", sys.executable), encoding="utf-8")
    script.chmod(0o755)
    root = tmp_path / "infra"
    root.mkdir()
    (root / "main.tf").write_text("# empty\n")
    config = tmp_path / "config.toml"
    config.write_text(textwrap.dedent(f"""\
        [git]
        repo_dir = "{tmp_path}"
        [terraform]
        binary = "{script}"
        dir = "infra"
        timeout = 60
        """) + secrets_section, encoding="utf-8")
    store = DraftStore(tmp_path / "drafts")
    loaded = store.create(Draft(id="leaky"))
    env = {
        "HOTFIX_TUI_CONFIG": str(config), "HOTFIX_TUI_DRAFTS": str(tmp_path / "drafts"),
        "TF_VAR_db_pass": "hunter2-db",
        "DATABASE_URL": "postgres://app:pw%40Xy9@db.internal:5432/app",
    }
    return loaded.path, env


LEAKED = ["hunter2-db", "pw%40Xy9", "pw@Xy9", "literal-pw-in-plan", "tok-in-output-1", "printed-pw-42"]


def test_row_14_secrets_in_terraform_output_are_masked_on_screen_and_in_the_draft(tmp_path):
    """row 14: TF_VAR_db_pass=…, DATABASE_URL=postgres://app:pw@… in terraform's output."""
    path, env = leaky_check(tmp_path)
    for verbose in ([], ["-v"]):
        done = hotfix("check", str(path), "--only", "plan", *verbose, env=env)
        assert done.returncode == 1, done.stderr
        stored = path.read_text(encoding="utf-8")
        for secret in LEAKED:
            assert secret not in done.stdout, f"{secret!r} shown: {done.stdout}"
            assert secret not in done.stderr
            assert secret not in stored, f"{secret!r} stored in the draft"
        # What is masked stays readable: names, users and hosts are kept.
        assert "TF_VAR_db_pass=****" in done.stdout and "postgres://app:****@db.internal:5432/app" in done.stdout
        assert "TF_VAR_db_pass=****" in stored and 'admin_password = "****"' in stored


def test_row_14_values_of_variables_named_in_secrets_env_are_masked(tmp_path):
    """row 14: [secrets] env names variables whose names do not look secret."""
    path, env = leaky_check(tmp_path, '[secrets]\nenv = ["HOTFIX_OPAQUE", "HOTFIX_OPAQUE_Q"]\n')
    env = {**env, "HOTFIX_OPAQUE": "opaque-value-5150", "HOTFIX_OPAQUE_Q": "a%20b%26c%2Fd"}
    done = hotfix("check", str(path), "--only", "plan", "-v", env=env)
    assert done.returncode == 1, done.stderr
    stored = path.read_text(encoding="utf-8")
    assert "opaque **** and quoted ****" in done.stdout
    for secret in ["opaque-value-5150", "a%20b%26c%2Fd", "a b&c/d"]:
        assert secret not in done.stdout and secret not in stored


def test_row_14_percent_encoded_secret_from_config_list_is_masked(tmp_path):
    """row 14: a [secrets] env value is masked in its raw and percent-encoded spellings."""
    runner = Runner(env={"PATH": os.environ["PATH"], "HOTFIX_OPAQUE": "a b&c/d"}, secret_names=["HOTFIX_OPAQUE"])
    code = "import os, urllib.parse as u; v = os.environ['HOTFIX_OPAQUE']; print(v); print(u.quote(v, safe=''))"
    result = runner.run([sys.executable, "-c", code], cwd=tmp_path)
    assert result.lines() == ["****", "****"]


def test_pwd_and_plain_settings_are_not_mistaken_for_secrets(tmp_path):
    runner = Runner(env={"PATH": os.environ["PATH"], "PWD": str(tmp_path), "KEY_SIZE": "1", "LANG": "C.UTF-8"})
    code = "import os; print(os.getcwd()); print('PWD=' + os.environ['PWD']); print('key = \"config\"')"
    result = runner.run([sys.executable, "-c", code], cwd=tmp_path)
    assert result.lines() == [str(tmp_path), f"PWD={tmp_path}", 'key = "config"']


def test_row_14_a_secret_in_a_long_line_is_not_split_across_pieces(tmp_path):
    """row 14 with row 12's cutting: a line cut into pieces never cuts a secret in two."""
    token = "tok-" + "Z9" * 20
    code = ("import os, sys\nt = os.environ['MY_API_TOKEN']\n"
            "sys.stdout.write((('x' * 37 + ' ') * 200 + t + ' ') * 30)")
    runner = Runner(env={"PATH": os.environ["PATH"], "MY_API_TOKEN": token})
    result = runner.run([sys.executable, "-c", code], cwd=tmp_path)
    pieces = result.lines()
    assert len(pieces) > 30  # it was cut
    assert not any(token[:12] in p or token[-12:] in p for p in pieces)
    assert "".join(pieces).count("****") == 30
