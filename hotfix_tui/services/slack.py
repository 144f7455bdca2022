"""Posting a one-line notice to a Slack incoming webhook (§7.1 "리뷰어에게 즉시 알림").

The webhook URL is a credential: it is registered for masking before the request and
never shown (``--dry-run`` prints the host only).
"""

from __future__ import annotations

import json
import urllib.parse

from .errors import TIMEOUT, UNREACHABLE, ServiceError, register_secret, short


def post_slack(
    webhook_url: str,
    text: str,
    *,
    timeout: float = 10.0,
    env_name: str = "",
    dry_run: bool = False,
) -> list[str] | None:
    """Post ``text`` to a Slack incoming webhook; the URL is a secret and is never shown."""
    parts = urllib.parse.urlsplit(webhook_url)
    host = parts.hostname or "?"
    body = json.dumps({"text": text}, ensure_ascii=False)
    if dry_run:
        return [f"POST {parts.scheme or 'https'}://{host}/… (webhook URL hidden) {body}"]
    from urllib import error as url_error
    from urllib import request as url_request

    register_secret(webhook_url)
    register_secret(parts.path if len(parts.path) > 8 else "")
    where = f"${env_name}" if env_name else "the webhook URL"
    request = url_request.Request(
        webhook_url, data=body.encode("utf-8"), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with url_request.urlopen(request, timeout=timeout) as answer:
            answer.read()
    except url_error.HTTPError as exc:
        raise ServiceError("slack", f"the webhook answered HTTP {exc.code}", server=host,
                           status=exc.code, hint=f"check {where}: revoked or mistyped?") from None
    except TimeoutError:
        raise ServiceError("slack", f"no answer within {timeout:g} s", server=host, kind=TIMEOUT,
                           hint="retry, or tell the reviewers yourself") from None
    except (url_error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ServiceError("slack", f"could not connect: {short(str(reason), 80)}", server=host,
                           kind=UNREACHABLE, hint=f"check {where} and the network route") from None
    return None
