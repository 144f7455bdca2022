"""The GitHub steps of a hotfix (§6 PR, §7.1 review and merge, branch deletion) via PyGithub.

Opening a PR is idempotent: an open PR for the same head branch is reused, and a
gateway error or timeout on the create call is followed by a look for the PR before
one more try, so a 502 that hid a success never yields a second PR. Review state is
read from the reviews list; the §7.1 one-hour target is counted from when the review
was requested (the draft keeps that time). Works with GitHub Enterprise through
``[github] base_url``.

PyGithub's own retries and write throttling are off: its retries sleep inside a worker
the user is waiting on, and a hotfix makes a handful of requests, far from GitHub's
secondary limits. The UI offers "Retry" instead. PyGithub is imported on first use.

Nothing untrusted reaches a URL or the draft unchecked: a PR number must be a positive
whole number (:func:`check_number`, before any request), and every answer passes
:func:`~.errors.check_answer` in one wrapper around the client's request method before
PyGithub reads it, so a login page answering 200 is an error instead of a PR with no
reviews ("pending") or no state ("closed without being merged").
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ContextManager

from ..config import Config, GithubConfig
from .credentials import Credentials, HttpFailure, github_token_env_names, http_errors
from .errors import (
    CONFIG,
    CONFLICT,
    REFUSED,
    SERVER,
    TIMEOUT,
    ServiceError,
    Shape,
    check_answer,
    is_json_type,
    not_json_error,
    one_line,
    short,
)

REVIEW_TARGET_MINUTES = 60  # §7.1 "최대 1시간 내 리뷰 완료 목표"

# What each request the steps make returns (method, end of the path, shape); any other
# answer only has to be JSON. Checked before PyGithub reads the answer.
_PULL: dict[str, tuple[type | None, ...]] = {
    "number": (int,), "html_url": (str,), "state": (str,), "head": (dict,), "head.ref": (str,),
    "merged": (bool, None), "user": (dict, None),
}
ANSWER_SHAPES: list[tuple[str, re.Pattern[str], Shape]] = [
    ("GET", re.compile(r"/repos/[^/]+/[^/]+"), (dict, {"full_name": (str,)})),
    ("GET", re.compile(r"/repos/[^/]+/[^/]+/pulls"), (list, {})),
    ("POST", re.compile(r"/repos/[^/]+/[^/]+/pulls"), (dict, _PULL)),
    ("GET", re.compile(r"/repos/[^/]+/[^/]+/pulls/\d+"), (dict, {**_PULL, "merged": (bool,)})),
    ("GET", re.compile(r"/repos/[^/]+/[^/]+/pulls/\d+/reviews"), (list, {})),
    ("PUT", re.compile(r"/repos/[^/]+/[^/]+/pulls/\d+/merge"), (dict, {"merged": (bool,), "sha": (str, None)})),
    ("POST", re.compile(r"/repos/[^/]+/[^/]+/issues/\d+/labels"), (list, {})),
    ("POST", re.compile(r"/repos/[^/]+/[^/]+/pulls/\d+/requested_reviewers"), (dict, {"number": (int,)})),
    ("GET", re.compile(r"/repos/[^/]+/[^/]+/git/refs?/heads/.+"), (dict, {"ref": (str,), "url": (str,)})),
    ("GET", re.compile(r"/user"), (dict, {"login": (str,)})),
]


def answer_shape(method: str, path: str) -> Shape | None:
    """The shape of the answer to ``method path`` (the path after the API prefix), if known."""
    for want, pattern, shape in ANSWER_SHAPES:
        if want == method and pattern.fullmatch(path):
            return shape
    return None


def check_number(number: object) -> int:
    """``number`` when it is a PR number (a positive whole number); otherwise a refusal,
    before any request: it goes into request paths (``pulls/<number>``)."""
    if isinstance(number, int) and not isinstance(number, bool) and number > 0:
        return number
    raise ServiceError(
        "github", f"{number!r} is not a pull request number (a positive whole number)", kind=REFUSED,
        hint="fix the PR number in the draft (pr.number, or type the PR URL again); no request was made",
    )


def _path_safe(branch: str) -> bool:
    """True when ``branch`` can go into a request path as it is (no '..', '?', '#', controls)."""
    parts = branch.split("/")
    return bool(branch) and all(p not in ("", ".", "..") for p in parts) and not any(
        ch in "?#%\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in branch)


@dataclass(frozen=True)
class PullRef:
    """A PR as the draft stores it; ``reused`` when it was already open."""

    number: int
    url: str
    reused: bool = False
    head: str = ""
    reviewers: tuple[str, ...] = ()  # reviewers requested by this call (the caller stamps the time)


@dataclass(frozen=True)
class ReviewStatus:
    state: str  # "approved" | "changes_requested" | "commented" | "pending"
    reviews: dict[str, str] = field(default_factory=dict)  # login -> latest review state
    pending: tuple[str, ...] = ()  # reviewers (and "org/team") still asked to review
    merged: bool = False
    open: bool = True
    minutes_waiting: int | None = None  # since the review was requested
    minutes_left: int | None = None  # to the §7.1 target; negative when overdue
    number: int = 0  # the pull request's number

    @property
    def approved(self) -> bool:
        return self.state == "approved"


@dataclass(frozen=True)
class MergeResult:
    sha: str
    merged_at: str  # GitHub's time for a PR merged before; "" when this call merged it (the caller stamps it)
    method: str
    already: bool = False  # it was merged before this call
    branch_deleted: bool = False


def minutes_since(iso: str, now: _dt.datetime | None = None) -> int | None:
    """Whole minutes from an ISO 8601 time to now; None when it cannot be read."""
    try:
        then = _dt.datetime.fromisoformat(iso.strip())
    except (ValueError, AttributeError):
        return None
    if then.tzinfo is None:
        then = then.astimezone()
    now = now or _dt.datetime.now(_dt.timezone.utc)
    return max(0, int((now - then).total_seconds() // 60))


class GithubService:
    """One repository on GitHub or GitHub Enterprise, as configured in ``[github]``."""

    system = "github"

    def __init__(self, config: GithubConfig, *, base_branch: str = "main", token: str | None = None):
        self.cfg = config
        self.base_branch = base_branch
        self.credentials = Credentials(
            "github", "[github]", self.api, github_token_env_names(config), config.token_command, token=token,
            default_env="GITHUB_TOKEN", on_forget=self._drop_client,
        )
        self._gh: Any = None
        self._repo_obj: Any = None

    @classmethod
    def from_config(cls, config: Config) -> GithubService:
        return cls(config.github, base_branch=config.git.main_branch)

    @property
    def configured(self) -> bool:
        """False when ``[github] repo`` is empty: the UI offers only the manual path."""
        return bool(self.cfg.repo)

    @property
    def owner(self) -> str:
        return self.cfg.repo.split("/", 1)[0]

    @property
    def api(self) -> str:
        return self.cfg.base_url.rstrip("/")

    # -- connection --------------------------------------------------------------------

    def token_hint(self) -> str:
        """Where the token comes from (never the token), for "check ..." messages."""
        return self.credentials.hint()

    def _drop_client(self) -> None:
        self._gh = None
        self._repo_obj = None

    def _client(self) -> Any:
        if self._gh is None:
            if not self.cfg.repo:
                raise ServiceError(
                    "github", "no repository is configured ([github] repo is empty)", kind=CONFIG,
                    hint="set [github] repo, or copy the PR text and type the PR URL back (manual path)",
                )
            token = self.credentials.token()
            import github

            gh = github.Github(
                auth=github.Auth.Token(token),
                base_url=self.api,
                timeout=max(1, math.ceil(self.cfg.timeout)),
                retry=None,
                seconds_between_requests=None,
                seconds_between_writes=None,
                per_page=100,
            )
            self._guard_answers(gh.requester)
            self._gh = gh
        return self._gh

    def _guard_answers(self, requester: Any) -> None:
        """Check every answer before PyGithub reads it.

        Every REST call of PyGithub (objects, pages, merges) goes through the requester's
        ``requestJsonAndCheck``; error statuses raise there before this check sees them.
        """
        inner = requester.requestJsonAndCheck
        prefix = urllib.parse.urlsplit(self.api).path.rstrip("/")

        def checked(verb: str, url: str, *args: Any, **kwargs: Any) -> tuple[dict[str, Any], Any]:
            path = urllib.parse.urlsplit(url).path
            path = path.removeprefix(prefix) if path.startswith(prefix + "/") else path
            request = f"{verb} {prefix}{path}"
            try:
                headers, data = inner(verb, url, *args, **kwargs)
            except ValueError:  # PyGithub's own json.loads of a broken "{..." body
                raise not_json_error("github", self.api, request, "", "") from None
            content_type = next((v for k, v in (headers or {}).items() if k.lower() == "content-type"), "")
            # PyGithub hands on a body it cannot parse as {"data": text} (plus "url").
            text = data.get("data") if isinstance(data, dict) and set(data) <= {"data", "url"} else None
            if isinstance(text, str) and not is_json_type(content_type):
                raise not_json_error("github", self.api, request, content_type, text)
            check_answer("github", self.api, request, content_type=content_type, data=data,
                         shape=answer_shape(verb.upper(), path))
            return headers, data

        requester.requestJsonAndCheck = checked

    def _repo(self) -> Any:
        if self._repo_obj is None:
            gh = self._client()
            with self._call(what=f"repository {self.cfg.repo}",
                            not_found_hint=f"check [github] repo = {self.cfg.repo} and [github] base_url, "
                            f"and that the token in {self.token_hint()} can see it"):
                self._repo_obj = gh.get_repo(self.cfg.repo)
        return self._repo_obj

    def _call(self, *, what: str = "", not_found_hint: str = "", refused_hint: str = "") -> ContextManager[None]:
        """Turn PyGithub's and requests' exceptions into one-line ServiceErrors."""
        from github import GithubException

        return http_errors(
            self.credentials, GithubException, _github_failure, timeout=self.cfg.timeout, what=what,
            not_found_hint=not_found_hint, refused_hint=refused_hint,
        )

    def whoami(self) -> str:
        """Check the connection and the token; the login the token belongs to."""
        gh = self._client()
        with self._call(what="the current user"):
            return str(gh.get_user().login)

    # -- §6 the pull request ------------------------------------------------------------------

    def open_pr(
        self,
        head: str,
        title: str,
        body: str,
        *,
        reviewers: list[str] | None = None,
        labels: list[str] | None = None,
        base: str | None = None,
        dry_run: bool = False,
        on_opened: Callable[[PullRef], None] | None = None,
    ) -> PullRef | list[str]:
        """§6: open (or reuse) the PR from ``head`` to main, label it, request reviews.

        ``on_opened(ref)`` runs as soon as the PR exists, before labels and reviewers,
        so the caller can save its number even if a later request fails.
        """
        base = base or self.base_branch
        reviewers = list(self.cfg.reviewers if reviewers is None else reviewers)
        labels = list(self.cfg.labels if labels is None else labels)
        repo_url = f"{self.api}/repos/{self.cfg.repo}"
        if dry_run:
            query = urllib.parse.urlencode({"state": "open", "head": f"{self.owner}:{head}", "base": base})
            users, teams = _split_reviewers(reviewers)
            lines = [
                f"GET {repo_url}",
                f"GET {repo_url}/pulls?{query}  (reuse an open PR from {head})",
                f"POST {repo_url}/pulls "
                + json.dumps({"title": title, "head": head, "base": base, "body": body}, ensure_ascii=False),
            ]
            if labels:
                lines.append(f"POST {repo_url}/issues/<number>/labels " + json.dumps({"labels": labels}, ensure_ascii=False))
            if users or teams:
                lines.append(f"POST {repo_url}/pulls/<number>/requested_reviewers "
                             + json.dumps({"reviewers": users, "team_reviewers": teams}))
            return lines
        self._repo()  # first, so a wrong repo or token fails with a message that names them
        pr = self._find_open(head, base)
        reused = pr is not None
        if pr is None:
            pr, reused = self._create_pull(head, base, title, body)
        ref = PullRef(pr.number, pr.html_url, reused, head)
        if on_opened is not None:
            on_opened(ref)
        what = f"pull request #{pr.number} in {self.cfg.repo}"
        if labels:
            with self._call(what=what, refused_hint="check [github] labels"):
                pr.add_to_labels(*labels)
        requested = self._request_reviews(pr, reviewers)
        return PullRef(pr.number, pr.html_url, reused, head, tuple(requested))

    def _find_open(self, head: str, base: str) -> Any:
        repo = self._repo()
        with self._call(what=f"pull requests of {self.cfg.repo}"):
            for pr in repo.get_pulls(state="open", head=f"{self.owner}:{head}", base=base):
                if pr.head.ref == head:
                    return pr
        return None

    def _create_pull(self, head: str, base: str, title: str, body: str) -> tuple[Any, bool]:
        repo = self._repo()
        refused = (f"is {head} pushed (`hotfix git push`) and does {base} exist in {self.cfg.repo}?"
                   " check [github] repo and [git] main_branch")
        last: ServiceError | None = None
        for _attempt in range(2):
            try:
                with self._call(what=f"repository {self.cfg.repo}", refused_hint=refused,
                                not_found_hint=f"check [github] repo = {self.cfg.repo} and the token's access"):
                    return repo.create_pull(base=base, head=head, title=title, body=body), False
            except ServiceError as err:
                duplicate = err.status == 422 and "already exists" in err.problem.lower()
                if err.kind not in (SERVER, TIMEOUT) and not duplicate:
                    raise
                # A gateway error or timeout may have hidden a success: look before retrying.
                existing = self._find_open(head, base)
                if existing is not None:
                    return existing, True
                if duplicate:
                    raise
                last = err
        assert last is not None
        raise last

    def _request_reviews(self, pr: Any, reviewers: list[str]) -> list[str]:
        author = (pr.user.login if pr.user else "") or ""
        users, teams = _split_reviewers(reviewers)
        # GitHub refuses a review request to the PR's own author; §7.1 allows a
        # self-merge then, so the author is simply left out.
        users = [u for u in users if u.casefold() != author.casefold()]
        if not users and not teams:
            return []
        with self._call(what=f"pull request #{pr.number} in {self.cfg.repo}",
                        refused_hint="check [github] reviewers: each must be a collaborator, "
                        "or an org/team with access to the repository"):
            pr.create_review_request(reviewers=users, team_reviewers=teams)
        return [*users, *(f"{self.owner}/{t}" for t in teams)]

    # -- §7.1 review and merge ----------------------------------------------------------------

    def pull(self, number: int) -> Any:
        check_number(number)
        repo = self._repo()
        with self._call(what=f"pull request #{number} in {self.cfg.repo}",
                        not_found_hint=f"check the PR number and [github] repo = {self.cfg.repo}"):
            return repo.get_pull(number)

    def review_status(self, number: int, *, requested_at: str = "") -> ReviewStatus:
        """The PR's review state and the minutes against the §7.1 one-hour target."""
        pr = self.pull(number)
        with self._call(what=f"pull request #{number} in {self.cfg.repo}"):
            reviews = list(pr.get_reviews())
            pending = tuple(
                [u.login for u in (pr.requested_reviewers or [])]
                + [f"{self.owner}/{t.slug}" for t in (pr.requested_teams or [])]
            )
            merged, is_open = bool(pr.merged), pr.state == "open"
        latest: dict[str, str] = {}
        for review in reviews:
            login = review.user.login if review.user else ""
            state = (review.state or "").upper()
            # A comment after an approval does not take the approval back.
            if state == "COMMENTED" and login in latest:
                continue
            if state in ("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"):
                latest[login] = state
        states = set(latest.values())
        if "CHANGES_REQUESTED" in states:
            overall = "changes_requested"
        elif "APPROVED" in states:
            overall = "approved"
        elif "COMMENTED" in states:
            overall = "commented"
        else:
            overall = "pending"
        waiting = minutes_since(requested_at) if requested_at else None
        left = None if waiting is None else REVIEW_TARGET_MINUTES - waiting
        return ReviewStatus(overall, latest, pending, merged, is_open, waiting, left, number)

    def merge(
        self,
        number: int,
        *,
        method: str | None = None,
        delete_branch: bool = True,
        dry_run: bool = False,
    ) -> MergeResult | list[str]:
        """Merge with ``[github] merge_method`` and delete the head branch on GitHub.

        Already merged is success (``already=True``), so a retry after a lost answer is
        harmless.
        """
        method = method or self.cfg.merge_method
        repo_url = f"{self.api}/repos/{self.cfg.repo}"
        if dry_run:
            lines = [
                f"GET {repo_url}/pulls/{number}",
                f"PUT {repo_url}/pulls/{number}/merge " + json.dumps({"merge_method": method}),
            ]
            if delete_branch:
                lines.append(f"DELETE {repo_url}/git/refs/heads/<head branch of #{number}>")
            return lines
        pr = self.pull(number)
        what = f"pull request #{number} in {self.cfg.repo}"
        if pr.merged:
            sha = pr.merge_commit_sha or ""
            merged_at = pr.merged_at.astimezone().replace(microsecond=0).isoformat() if pr.merged_at else ""
            already = True
        else:
            if pr.state != "open":
                raise ServiceError("github", f"#{number} is closed without being merged", server=self.api,
                                   hint="reopen it on GitHub or open a new PR")
            try:
                with self._call(what=what):
                    status = pr.merge(merge_method=method)
            except ServiceError as err:
                raise _merge_refusal(err, number) from None
            if not status.merged:
                raise ServiceError("github", f"#{number} was not merged: {one_line(status.message or '')}",
                                   server=self.api, kind=CONFLICT, hint="open the PR page to see why")
            sha, merged_at, already = status.sha or "", "", False
        deleted = self.delete_branch(pr.head.ref) if delete_branch else False
        return MergeResult(sha, merged_at, method, already, deleted)

    def delete_branch(self, branch: str) -> bool:
        """Delete ``branch`` on GitHub; False when it was already gone."""
        if branch == self.base_branch:
            raise ServiceError("github", f"refusing to delete {branch}", server=self.api)
        if not isinstance(branch, str) or not _path_safe(branch):
            raise ServiceError("github", f"refusing to delete a branch named {branch!r}: not a plain branch name",
                               server=self.api, hint="delete it on the PR page if it is really meant")
        repo = self._repo()
        try:
            with self._call(what=f"branch {branch} in {self.cfg.repo}"):
                ref = repo.get_git_ref(f"heads/{branch}")
                ref.delete()
        except ServiceError as err:
            if err.status in (404, 422):  # already deleted (422 "Reference does not exist")
                return False
            raise
        return True


def _merge_refusal(err: ServiceError, number: int) -> ServiceError:
    text = err.problem.lower()
    if err.status in (405, 409) and ("mergeable" in text or "conflict" in text or "modified" in text):
        return ServiceError(
            "github", f"#{number} cannot be merged: {err.problem}", server=err.server, kind=CONFLICT,
            status=err.status,
            hint="merge main into the hotfix branch and resolve the conflicts, push, then retry",
        )
    if err.status in (405, 409):
        err.hint = "branch protection or a required check refused it: see the PR page"
    return err


def _split_reviewers(reviewers: list[str]) -> tuple[list[str], list[str]]:
    users = [r.removeprefix("@") for r in reviewers if "/" not in r]
    teams = [r.split("/", 1)[1] for r in reviewers if "/" in r]
    return users, teams


def _github_failure(exc: BaseException) -> HttpFailure:
    """The status, message and rate-limit state of a ``GithubException``."""
    from github import RateLimitExceededException

    headers = {k.lower(): v for k, v in (getattr(exc, "headers", None) or {}).items()}
    limited = isinstance(exc, RateLimitExceededException) or headers.get("x-ratelimit-remaining") == "0"
    return HttpFailure(getattr(exc, "status", 0) or 0, _github_detail(getattr(exc, "data", None)), limited)


def _github_detail(data: Any) -> str:
    if not isinstance(data, dict):
        return short(str(data or ""), 160)
    parts = [str(data.get("message") or "")]
    for item in data.get("errors") or []:
        if isinstance(item, dict):
            parts.append(str(item.get("message") or " ".join(
                str(item.get(k, "")) for k in ("resource", "field", "code") if item.get(k))))
        else:
            parts.append(str(item))
    return "; ".join(p for p in parts if p)
