"""§7.3 deploy and monitor on the Merge screen: its fields; the widgets are widgets/deploy_panel.py.

The Merge screen composes ``DeployPanel`` (apply, the monitoring clock, the hand records,
and ``MonitorChart`` with the pod samples) and these fields below it; the rules
(window, countdown, verdict) are workflow/deploy.py's.
"""

from __future__ import annotations

from ..widgets.fields import FieldSpec

DEPLOY_FIELDS = [
    FieldSpec("deploy.apply_summary", "l.apply_summary",
              placeholder="ph.apply_summary"),
    FieldSpec("deploy.monitor_minutes", "l.monitor_minutes", "int"),
    FieldSpec("deploy.outcome", "l.outcome", "select",
              (("outcome.stable", "stable"), ("outcome.regressed", "regressed"))),
    FieldSpec("deploy.notes", "l.deploy_notes", "text"),
]
