"""The §10 checklist's items (the seed's words, workflow/checklist.py) in Korean and English."""

MESSAGES: dict[str, tuple[str, str]] = {
    "item.problem_understood": ("문제 상황 명확히 파악", "Problem clearly understood"),
    "item.impact_analyzed": ("영향 범위 분석", "Impact analysed"),
    "item.root_cause": ("근본 원인 분석", "Root cause analysed"),
    "item.fix_plan": ("수정 계획 수립", "Fix plan made"),
    "item.rollback_plan": ("롤백 계획 준비", "Rollback plan ready"),
    "item.minimal_change": ("최소한의 변경으로 수정", "Fixed with the smallest change"),
    "item.local_verified": ("로컬 환경에서 검증", "Verified locally"),
    "item.test_env_verified": ("테스트 환경에서 검증 (가능 시)", "Verified in a test environment (if possible)"),
    "item.commit_message": ("커밋 메시지 상세 작성", "Detailed commit message"),
    "item.pr_description": ("PR 설명 충분히 작성", "PR description complete"),
    "item.deployed": ("프로덕션 배포", "Deployed to production"),
    "item.monitored": ("모니터링 (최소 30분)", "Monitored (30 min at least)"),
    "item.resolved": ("문제 해결 확인", "Problem confirmed solved"),
    "item.jira_done": ("JIRA 백로그 완료 처리", "Jira ticket done"),
    "item.rca_written": ("RCA 작성", "RCA written"),
    "item.followups_created": ("Follow-up 백로그 생성", "Follow-up tickets created"),
    "item.documented": ("문서화", "Documented"),
}
