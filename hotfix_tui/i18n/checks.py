"""Catalogue section: sentences for terraform/kubectl checks, plan review, apply and monitoring (§4.1, §5, §7.3).

Merged into ``i18n.MESSAGES``; same shape — key: (Korean, English).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- status words (log panel, check rows, timeline) -----------------------------
    "st.pending": ("대기", "pending"),
    "st.running": ("실행 중", "running"),
    "st.passed": ("통과", "passed"),
    "st.failed": ("실패", "failed"),
    "st.cancelled": ("취소", "cancelled"),
    "st.timeout": ("시간 초과", "timed out"),
    "st.error": ("실행 불가", "could not run"),
    "st.manual": ("수동 기록", "recorded by hand"),
    "st.skipped": ("건너뜀", "skipped"),
    "st.done": ("완료", "done"),  # a remote step (Jira, git, GitHub) that did what it was asked
    "st.asking": ("답 필요", "needs an answer"),  # a remote step that stopped to ask (a key, a field)
    # -- keys and buttons -------------------------------------------------------------
    "key.run_checks": ("전체 실행", "Run all"),
    "key.rerun": ("다시 실행", "Re-run"),
    "key.cancel_run": ("실행 취소", "Cancel run"),
    "key.log_size": ("로그 크기", "Log size"),
    "btn.run": ("실행", "Run"),
    "btn.run_all": ("전체 실행 F8", "Run all F8"),
    "btn.cancel_run": ("취소 F10", "Cancel F10"),
    "btn.kube_get": ("kubectl get all", "kubectl get all"),
    "btn.kube_logs": ("logs", "logs"),
    "btn.kube_describe": ("describe", "describe"),
    "btn.apply": ("terraform apply (저장된 계획)", "terraform apply (saved plan)"),
    "btn.monitor_sample": ("지금 확인", "Sample now"),
    # -- log panel --------------------------------------------------------------------
    "log.idle": ("명령 로그: 아직 실행한 명령이 없습니다", "Command log: nothing has run yet"),
    "log.skipped": ("{what}: 건너뜀 ({blocked} 실패)", "{what}: skipped ({blocked} did not pass)"),
    "log.crashed": ("점검 작업이 예기치 않게 멈췄습니다: {error} — 앱은 계속 동작합니다. 다시 실행하거나 수동으로 기록하세요",
                    "The check worker stopped unexpectedly: {error} — the app keeps running; re-run or record by hand"),
    "log.busy": ("이미 실행 중입니다: 먼저 취소하세요 (F10)", "Something is already running: cancel it first (F10)"),
    "log.nothing_running": ("실행 중인 명령이 없습니다", "Nothing is running"),
    "log.cancelling": ("취소 요청: 프로세스 그룹을 멈춥니다…", "Cancelling: stopping the process group…"),
    "log.cancel_button": ("취소", "Cancel"),
    "log.cancel_request": ("{what}: 보낸 요청은 중간에 멈출 수 없습니다 — 늦어도 {seconds}초(시간 제한) 뒤 끝나며, 결과는 그대로 저장됩니다",
                           "{what}: a request on its way cannot be stopped — it ends within {seconds} s (its timeout), "
                           "and whatever comes back is still stored"),
    "log.no_service": ("이 세션에는 점검 실행기가 없습니다: 직접 실행하고 '통과 기록'으로 남기세요",
                       "No check runner in this session: run the commands yourself and use 'Record passed'"),
    # -- fix screen / plan review -----------------------------------------------------
    "l.check_rows": ("로컬 점검 (§4.1) — F8 전체 실행, F9 다시 실행, F10 취소",
                     "Local checks (§4.1) — F8 run all, F9 re-run, F10 cancel"),
    "l.plan_review": ("계획 검토 (변경 최소화)", "Plan review (smallest change)"),
    "plan.counts": ("추가 {add} · 변경 {change} · 삭제 {destroy}", "add {add} · change {change} · destroy {destroy}"),
    "plan.no_changes": ("변경 없음 (No changes.)", "No changes."),
    "plan.destructive": ("⚠ 삭제/교체되는 리소스가 있습니다: 의도한 것인지 확인하세요",
                         "⚠ The plan destroys or replaces resources: make sure that is intended"),
    "plan.outside": ("⚠ 선언한 영향 범위 밖: {what}", "⚠ Outside the declared impact: {what}"),
    "plan.no_impact": ("⚠ 영향 범위가 비어 있어 계획과 비교할 수 없습니다 (§2.2)",
                       "⚠ No impact declared (§2.2), so the plan cannot be compared with it"),
    "plan.reopened": ("마지막 계획: {summary} (자세한 검토는 plan을 다시 실행)",
                      "Last plan: {summary} (re-run plan for the full review)"),
    "ev.check_run": ("{command} {status}: {summary}", "{command} {status}: {summary}"),
    "note.plan": ("{summary}", "{summary}"),
    # -- verify -----------------------------------------------------------------------
    "l.kube": ("Kubernetes 확인 (§5.2) — ", "Kubernetes check (§5.2) — "),
    "l.kube_pick": ("리소스 (get all 결과에서 선택)", "Resource (from the get all result)"),
    "kube.need_get": ("먼저 kubectl get all을 실행해 리소스를 고르세요", "Run kubectl get all first, then pick a resource"),
    "kube.need_pick": ("logs/describe할 리소스를 고르세요", "Pick a resource for logs/describe"),
    "kube.logs_pods_only": ("logs는 pod만 볼 수 있습니다: pod를 고르세요", "logs works on pods: pick a pod"),
    "kube.reading": ("읽는 중…", "reading…"),
    "kube.no_context": ("? (현재 context 없음)", "? (no current context)"),
    "kube.missing": ("? (kubectl 없음)", "? (kubectl not found)"),
    "kube.unknown": ("? ({problem})", "? ({problem})"),
    # -- deploy / apply ---------------------------------------------------------------
    "l.apply_target": ("적용 대상: {dir} · 계획 {plan} · kube {context}", "Applying in {dir} · plan {plan} · kube {context}"),
    "apply.no_plan": ("검토한 계획이 없습니다: 수정·점검 단계에서 terraform plan을 먼저 실행하세요 (§4.1)",
                      "No reviewed plan: run terraform plan on the Fix & checks step first (§4.1)"),
    "apply.prompt": ("프로덕션에 terraform apply를 실행합니다.\n계획: {plan}\n검토: {reviewed}\nkube context: {context}\n\n확인하려면 {key}를 입력하세요:",
                     "This runs terraform apply in production.\nPlan: {plan}\nReviewed: {reviewed}\nkube context: {context}\n\nType {key} to confirm:"),
    "apply.mismatch": ("입력한 값이 {key}와 달라 apply를 취소했습니다", "What you typed is not {key}: apply cancelled"),
    "apply.refused": ("apply 거부: {why}", "apply refused: {why}"),
    "apply.confirm_title": ("위험한 작업 확인", "Confirm a dangerous action"),
    "ev.apply_run": ("terraform apply {status}: {summary}", "terraform apply {status}: {summary}"),
    # -- monitoring -------------------------------------------------------------------
    "l.monitor_chart": ("준비 안 된 pod / 재시작 (최근 {n}회)", "Not-ready pods / restarts (last {n} samples)"),
    "l.spark_not_ready": ("준비 안 됨", "not ready"),
    "l.spark_restarts": ("재시작", "restarts"),
    "monitor.sample": ("{summary} ({at})", "{summary} ({at})"),
    "monitor.no_samples": ("아직 pod 상태 표본이 없습니다", "No pod samples yet"),
    "monitor.sample_failed": ("pod 상태 확인 실패: {summary}", "Pod check failed: {summary}"),
    "monitor.stable_evidence": ("안정: {n}회 확인, 준비 안 된 pod 0, 재시작 증가 없음 (마지막: {last})",
                                "stable: {n} samples, no pod not ready, no new restarts (last: {last})"),
    "monitor.regressed_evidence": ("회귀: 준비 안 된 pod {not_ready} ({names}), 재시작 +{restarts} (마지막: {last})",
                                   "regressed: {not_ready} pod(s) not ready ({names}), restarts +{restarts} (last: {last})"),
    "monitor.auto_end": ("모니터링 시간이 끝나 결과를 자동 기록했습니다: {outcome}",
                         "The monitoring window ended; outcome recorded: {outcome}"),
    "ev.monitor_evidence": ("모니터링 근거: {evidence}", "Monitoring evidence: {evidence}"),
}
