"""Adapters to the outside world (git, Jira, GitHub, terraform/kubectl); no Textual here.

``Services`` is the one object the CLI and the App act through. It is cheap to build:
each service imports its client library only when a request is actually made, so the
app's start-up does not pay for jira, PyGithub or GitPython. Tests build their own
(pointing at loopback servers) and inject it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Config
    from .checks import CheckService
    from .git import GitService
    from .github import GithubService
    from .jira import JiraService


@dataclass
class Services:
    jira: "JiraService"
    github: "GithubService"
    git: "GitService"
    checks: "CheckService | None" = None

    @classmethod
    def from_config(cls, config: "Config") -> "Services":
        from .checks import CheckService
        from .git import GitService
        from .github import GithubService
        from .jira import JiraService

        checks = CheckService(config)
        return cls(
            JiraService.from_config(config),
            GithubService.from_config(config),
            # One runner for git, terraform and kubectl: quitting the app stops them all.
            GitService.from_config(config, runner=checks.runner),
            checks,
        )
