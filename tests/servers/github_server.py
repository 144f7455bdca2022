"""A GitHub REST v3 server on loopback for the real PyGithub client, backed by a real bare repository.

Pull requests live in memory, but branches live in the bare git repository the tests
use as ``origin``: creating a PR checks that the head branch was really pushed, a merge
really merges (``git merge-tree`` + ``commit-tree`` + ``update-ref`` in the bare
repository, honouring merge/squash/rebase), and deleting ``git/refs/heads/...`` really
deletes the branch. Served under ``/api/v3`` like GitHub Enterprise, so ``base_url``
handling is exercised too.

Fault switch: :meth:`GithubServer.fail_next` answers the next matching request with a
status (502, 403 rate limit, ...), before or after doing the work.

Also here: the real-git helpers the git tests share (a bare ``origin`` and a clone).
"""

from __future__ import annotations

import datetime as _dt
import itertools
import os
import subprocess
from pathlib import Path

from .jira_server import LoopbackServer, Request, Response

# -- real git repositories ------------------------------------------------------------------

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Server",
    "GIT_AUTHOR_EMAIL": "server@example.com",
    "GIT_COMMITTER_NAME": "Test Server",
    "GIT_COMMITTER_EMAIL": "server@example.com",
}


def git(cwd: Path, *args: str, check: bool = True) -> str:
    """Run git in ``cwd`` (a work tree or a bare repository); stdout, stripped."""
    env = {**os.environ, **GIT_IDENTITY, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}: {done.stderr.strip()}")
    return done.stdout.strip()


METALLB_TF = """\
resource "kubernetes_config_map" "metallb_config" {
  metadata {
    name      = "metallb-config"
    namespace = "metallb-system"
  }
  data = {
    addresses = "192.168.1.200-192.168.1.250"
  }
}
"""


def make_origin_and_clone(root: Path) -> tuple[Path, Path]:
    """A bare repository with one commit on main (``origin``) and a clone of it.

    The clone has its own user identity so commits work with the tests' empty HOME.
    """
    bare = root / "origin.git"
    work = root / "work"
    seed = root / "seed"
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    git(root, "init", "--quiet", "--initial-branch=main", str(seed))
    (seed / "metallb.tf").write_text(METALLB_TF, encoding="utf-8")
    (seed / "README.md").write_text("platform\n", encoding="utf-8")
    git(seed, "add", ".")
    git(seed, "commit", "--quiet", "-m", "initial")
    git(seed, "push", "--quiet", str(bare), "main:main")
    git(root, "clone", "--quiet", str(bare), str(work))
    git(work, "config", "user.name", "On-call Engineer")
    git(work, "config", "user.email", "oncall@example.com")
    return bare, work


def push_from_elsewhere(bare: Path, root: Path, branch: str, filename: str, content: str) -> str:
    """Another engineer's commit on ``branch`` of ``bare``; returns its SHA."""
    other = root / f"other-{len(list(root.glob('other-*')))}"
    git(root, "clone", "--quiet", str(bare), str(other))
    git(other, "config", "user.name", "Someone Else")
    git(other, "config", "user.email", "else@example.com")
    exists = git(other, "ls-remote", "--heads", "origin", branch)
    if exists:
        git(other, "checkout", "--quiet", branch)
    else:
        git(other, "checkout", "--quiet", "-b", branch)
    (other / filename).write_text(content, encoding="utf-8")
    git(other, "add", filename)
    git(other, "commit", "--quiet", "-m", f"change {filename}")
    git(other, "push", "--quiet", "origin", f"{branch}:{branch}")
    return git(other, "rev-parse", "HEAD")


# -- GitHub ----------------------------------------------------------------------------------


def _iso(when: _dt.datetime) -> str:
    return when.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class GithubServer(LoopbackServer):
    """One repository ``owner/name`` whose branches are those of ``bare``."""

    def __init__(
        self,
        bare: Path,
        *,
        repo: str = "infra/platform",
        token: str = "gh-test-token",
        login: str = "oncall",
        collaborators: tuple[str, ...] = ("alice", "bob", "oncall"),
        teams: tuple[str, ...] = ("sre",),
        prefix: str = "/api/v3",
    ):
        super().__init__()
        self.bare = Path(bare)
        self.repo = repo
        self.owner, self.name = repo.split("/", 1)
        self.token = token
        self.login = login
        self.collaborators = set(collaborators)
        self.teams = set(teams)
        self.prefix = prefix
        self.pulls: dict[int, dict] = {}
        self.reviews: dict[int, list[dict]] = {}
        self._numbers = itertools.count(1)
        self._ids = itertools.count(5000)
        self._failures: list[tuple[str, str, int, bool, dict]] = []

    @property
    def base_url(self) -> str:
        return f"{self.origin}{self.prefix}"

    # -- switches and helpers for tests ------------------------------------------------------

    def fail_next(self, method: str, path_part: str, status: int, *, after: bool = False,
                  message: str = "Server Error", headers: dict | None = None) -> None:
        """Answer the next matching request with ``status``; ``after``: do the work first."""
        with self.lock:
            self._failures.append((method, path_part, status, after, {"message": message, "headers": headers or {}}))

    def add_review(self, number: int, login: str, state: str) -> None:
        with self.lock:
            self.reviews.setdefault(number, []).append({
                "id": next(self._ids), "user": self._user(login), "body": "", "state": state,
                "submitted_at": _iso(_dt.datetime.now(_dt.timezone.utc)),
                "commit_id": self.pulls[number]["head_sha"],
                "html_url": f"{self.origin}/{self.repo}/pull/{number}#review",
                "pull_request_url": f"{self._repo_url}/pulls/{number}",
            })
            pr = self.pulls[number]
            pr["requested_users"].discard(login)

    def open_pulls(self) -> list[dict]:
        return [p for p in self.pulls.values() if p["state"] == "open"]

    def git(self, *args: str, check: bool = True) -> str:
        return git(self.bare, *args, check=check)

    def branch_sha(self, branch: str) -> str:
        return self.git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False)

    # -- HTTP ------------------------------------------------------------------------------

    @property
    def _repo_url(self) -> str:
        return f"{self.base_url}/repos/{self.repo}"

    def handle(self, request: Request) -> Response:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() not in ("token", "bearer") or value != self.token:
            return Response(401, {"message": "Bad credentials",
                                  "documentation_url": "https://docs.github.com/rest"})
        if not request.path.startswith(self.prefix + "/"):
            return self._not_found()
        path = request.path.removeprefix(self.prefix)
        with self.lock:
            injected = None
            for i, (method, part, status, after, extra) in enumerate(self._failures):
                if method == request.method and part in path:
                    del self._failures[i]
                    injected = Response(status, {"message": extra["message"]}, extra["headers"])
                    if not after:
                        return injected
                    break
            response = self._route(request, path)
            return injected or response

    @staticmethod
    def _not_found() -> Response:
        return Response(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})

    def _route(self, r: Request, path: str) -> Response:
        m = r.method
        if m == "GET" and path == "/user":
            return Response(200, self._user(self.login))
        base = f"/repos/{self.repo}"
        if not (path == base or path.startswith(base + "/")):
            return self._not_found()
        p = path.removeprefix(base)
        if m == "GET" and p == "":
            return Response(200, self._repo_json())
        if p == "/pulls":
            if m == "GET":
                return Response(200, self._list_pulls(r))
            if m == "POST":
                return self._create_pull(r.json() or {})
        parts = p.strip("/").split("/")
        if len(parts) >= 2 and parts[0] in ("pulls", "issues") and parts[1].isdigit():
            number = int(parts[1])
            pr = self.pulls.get(number)
            if pr is None:
                return self._not_found()
            rest = "/".join(parts[2:])
            if parts[0] == "issues" and rest == "labels":
                if m == "GET":
                    return Response(200, [self._label(n) for n in pr["labels"]])
                if m in ("POST", "PUT"):
                    sent = r.json() or []  # PyGithub sends a bare list; the docs show {"labels": [...]}
                    names = sent.get("labels") or [] if isinstance(sent, dict) else sent
                    names = [n if isinstance(n, str) else n.get("name", "") for n in names]
                    pr["labels"] = (pr["labels"] if m == "POST" else []) + [n for n in names if n not in pr["labels"]]
                    return Response(200, [self._label(n) for n in pr["labels"]])
            if parts[0] == "pulls":
                if m == "GET" and rest == "":
                    return Response(200, self._pull_json(pr))
                if rest == "requested_reviewers":
                    if m == "GET":
                        return Response(200, {"users": [self._user(u) for u in sorted(pr["requested_users"])],
                                              "teams": [self._team(t) for t in sorted(pr["requested_teams"])]})
                    if m == "POST":
                        return self._request_reviewers(pr, r.json() or {})
                if m == "GET" and rest == "reviews":
                    return Response(200, self.reviews.get(number, []))
                if rest == "merge":
                    if m == "GET":
                        return Response(204) if pr["merged"] else self._not_found()
                    if m == "PUT":
                        return self._merge(pr, r.json() or {})
        if p.startswith("/git/ref/") or p.startswith("/git/refs/"):
            ref = p.split("/", 3)[3]
            if not ref.startswith("heads/"):
                return self._not_found()
            branch = ref.removeprefix("heads/")
            sha = self.branch_sha(branch)
            if m == "GET":
                if not sha:
                    return self._not_found()
                return Response(200, {
                    "ref": f"refs/heads/{branch}", "node_id": f"REF_{branch}",
                    "url": f"{self._repo_url}/git/refs/heads/{branch}",
                    "object": {"sha": sha, "type": "commit", "url": f"{self._repo_url}/git/commits/{sha}"},
                })
            if m == "DELETE":
                if not sha:
                    return Response(422, {"message": "Reference does not exist"})
                self.git("update-ref", "-d", f"refs/heads/{branch}")
                return Response(204)
        return self._not_found()

    # -- JSON shapes ---------------------------------------------------------------------------

    def _user(self, login: str) -> dict:
        return {"login": login, "id": abs(hash(login)) % 100000, "type": "User",
                "url": f"{self.base_url}/users/{login}", "html_url": f"{self.origin}/{login}"}

    def _team(self, slug: str) -> dict:
        return {"id": abs(hash(slug)) % 100000, "slug": slug, "name": slug,
                "url": f"{self.base_url}/orgs/{self.owner}/teams/{slug}"}

    def _label(self, name: str) -> dict:
        return {"id": abs(hash(name)) % 100000, "name": name, "color": "d73a4a",
                "url": f"{self._repo_url}/labels/{name}"}

    def _repo_json(self) -> dict:
        return {"id": 1, "name": self.name, "full_name": self.repo, "owner": self._user(self.owner),
                "private": True, "html_url": f"{self.origin}/{self.repo}", "url": self._repo_url,
                "default_branch": "main"}

    def _side(self, branch: str, sha: str) -> dict:
        return {"label": f"{self.owner}:{branch}", "ref": branch, "sha": sha,
                "user": self._user(self.owner), "repo": self._repo_json()}

    def _pull_json(self, pr: dict) -> dict:
        n = pr["number"]
        return {
            "url": f"{self._repo_url}/pulls/{n}", "id": 9000 + n, "number": n,
            "html_url": f"{self.origin}/{self.repo}/pull/{n}",
            "issue_url": f"{self._repo_url}/issues/{n}",
            "state": pr["state"], "locked": False, "title": pr["title"], "body": pr["body"],
            "user": self._user(pr["author"]), "labels": [self._label(x) for x in pr["labels"]],
            "created_at": pr["created_at"], "updated_at": pr["created_at"],
            "closed_at": pr["merged_at"], "merged_at": pr["merged_at"],
            "merge_commit_sha": pr["merge_sha"], "merged": pr["merged"], "draft": False,
            "mergeable": None if pr["merged"] else True, "mergeable_state": "clean",
            "requested_reviewers": [self._user(u) for u in sorted(pr["requested_users"])],
            "requested_teams": [self._team(t) for t in sorted(pr["requested_teams"])],
            "head": self._side(pr["head"], self.branch_sha(pr["head"]) or pr["head_sha"]),
            "base": self._side(pr["base"], self.branch_sha(pr["base"])),
        }

    # -- behaviour ---------------------------------------------------------------------------

    def _list_pulls(self, r: Request) -> list[dict]:
        state = r.param("state", "open")
        head = r.param("head")
        base = r.param("base")
        out = []
        for pr in sorted(self.pulls.values(), key=lambda p: -p["number"]):
            if state != "all" and pr["state"] != state:
                continue
            if head and f"{self.owner}:{pr['head']}" != head:
                continue
            if base and pr["base"] != base:
                continue
            out.append(self._pull_json(pr))
        return out

    @staticmethod
    def _invalid(field: str, code: str = "invalid", message: str = "") -> Response:
        error = {"resource": "PullRequest", "field": field, "code": code}
        if message:
            error = {"resource": "PullRequest", "code": "custom", "message": message}
        return Response(422, {"message": "Validation Failed", "errors": [error],
                              "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"})

    def _create_pull(self, body: dict) -> Response:
        head, base = body.get("head", ""), body.get("base", "")
        head_sha, base_sha = self.branch_sha(head), self.branch_sha(base)
        if not head_sha:
            return self._invalid("head")
        if not base_sha:
            return self._invalid("base")
        for pr in self.open_pulls():
            if pr["head"] == head and pr["base"] == base:
                return self._invalid("", message=f"A pull request already exists for {self.owner}:{head}.")
        if not self.git("rev-list", f"{base_sha}..{head_sha}"):
            return self._invalid("", message=f"No commits between {base} and {head}")
        number = next(self._numbers)
        self.pulls[number] = {
            "number": number, "title": body.get("title", ""), "body": body.get("body") or "",
            "head": head, "base": base, "head_sha": head_sha, "author": self.login, "state": "open",
            "labels": [], "requested_users": set(), "requested_teams": set(),
            "created_at": _iso(_dt.datetime.now(_dt.timezone.utc)), "merged": False, "merged_at": None,
            "merge_sha": None,
        }
        return Response(201, self._pull_json(self.pulls[number]))

    def _request_reviewers(self, pr: dict, body: dict) -> Response:
        users = body.get("reviewers") or []
        teams = body.get("team_reviewers") or []
        if pr["author"] in users:
            return Response(422, {"message": "Review cannot be requested from pull request author."})
        if any(u not in self.collaborators for u in users) or any(t not in self.teams for t in teams):
            return Response(422, {"message": "Reviews may only be requested from collaborators. One or more of "
                                             f"the users or teams you specified is not a collaborator of the "
                                             f"{self.repo} repository."})
        pr["requested_users"].update(users)
        pr["requested_teams"].update(teams)
        return Response(201, self._pull_json(pr))

    def _merge(self, pr: dict, body: dict) -> Response:
        if pr["state"] != "open":
            return Response(405, {"message": "Pull Request is not mergeable"})
        head_sha, base_sha = self.branch_sha(pr["head"]), self.branch_sha(pr["base"])
        if body.get("sha") and body["sha"] != head_sha:
            return Response(409, {"message": "Head branch was modified. Review and try the merge again."})
        done = subprocess.run(
            ["git", "merge-tree", "--write-tree", base_sha, head_sha], cwd=self.bare,
            env={**os.environ, **GIT_IDENTITY}, capture_output=True, text=True,
        )
        if done.returncode != 0:
            return Response(405, {"message": "Pull Request is not mergeable"})
        tree = done.stdout.split()[0]
        method = body.get("merge_method") or "merge"
        n = pr["number"]
        if method == "squash":
            title = body.get("commit_title") or f"{pr['title']} (#{n})"
            message = body.get("commit_message") or ""
            new = self.git("commit-tree", tree, "-p", base_sha, "-m", title + ("\n\n" + message if message else ""))
        elif method == "rebase" and self.git("merge-base", base_sha, head_sha) == base_sha:
            new = head_sha  # replaying onto an unchanged base yields the same history here
        elif method == "rebase":
            new = self.git("commit-tree", tree, "-p", base_sha, "-m", pr["title"])
        else:
            title = body.get("commit_title") or f"Merge pull request #{n} from {self.owner}/{pr['head']}"
            new = self.git("commit-tree", tree, "-p", base_sha, "-p", head_sha, "-m", f"{title}\n\n{pr['title']}")
        self.git("update-ref", f"refs/heads/{pr['base']}", new, base_sha)
        pr.update(state="closed", merged=True, merged_at=_iso(_dt.datetime.now(_dt.timezone.utc)),
                  merge_sha=new, head_sha=head_sha)
        return Response(200, {"sha": new, "merged": True, "message": "Pull Request successfully merged"})
