"""Adapters to the outside world (git, Jira, GitHub, terraform/kubectl); no Textual here.

``Services`` is the one object the CLI and the App act through. It is cheap to build:
each service imports its client library only when a request is actually made, so the
app's start-up does not pay for jira, PyGithub or GitPython. Tests build their own
(pointing at loopback servers) and inject it.
"""

from __future__ import annotations

import threading
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
        return ConfiguredServices(config)

    def built(self, name: str) -> bool:
        """Whether the service ``name`` exists already (asking never builds it)."""
        return True


def _on_first_use(build):
    """A property whose value ``build`` makes once, when first read."""
    name = build.__name__
    return property(lambda self: self._get(name, lambda: build(self)), doc=build.__doc__)


class ConfiguredServices(Services):
    """The services ``[jira]``, ``[github]``, ``[git]``, ``[terraform]`` and ``[kubectl]``
    describe, each built (its module imported) the first time it is used: a phase screen's
    first frame need not load terraform, kubectl and git (a tenth of the time to it)."""

    def __init__(self, config: "Config") -> None:  # noqa: D107 - no dataclass fields: built on use
        self._config = config
        self._built: dict[str, object] = {}
        # A worker thread and the event loop asking at once get the same service (one
        # runner for every command); reentrant: git is built with the checks' runner.
        self._lock = threading.RLock()
        self._typing = None

    def __repr__(self) -> str:
        return f"ConfiguredServices(built={sorted(self._built)})"

    def pace_with(self, typing) -> None:
        """``typing()`` says whether someone is typing now: the command runner's threads
        then give way to the keystrokes (``runner.Pacer``)."""
        with self._lock:
            self._typing = typing
            if self.built("checks"):
                self.checks.runner.typing = typing

    def built(self, name: str) -> bool:
        return name in self._built

    def _get(self, name: str, build):
        with self._lock:
            if name not in self._built:
                self._built[name] = build()
            return self._built[name]

    @_on_first_use
    def checks(self) -> "CheckService":
        from .checks import CheckService

        service = CheckService(self._config)
        service.runner.typing = self._typing
        return service

    @_on_first_use
    def jira(self) -> "JiraService":
        from .jira import JiraService

        return JiraService.from_config(self._config)

    @_on_first_use
    def github(self) -> "GithubService":
        from .github import GithubService

        return GithubService.from_config(self._config)

    @_on_first_use
    def git(self) -> "GitService":
        from .git import GitService

        # One runner for git, terraform and kubectl: quitting the app stops them all.
        return GitService.from_config(self._config, runner=self.checks.runner)
