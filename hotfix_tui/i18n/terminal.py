"""Catalogue section: sentences for terminal safety, field size limits and exports (issue 8).

Merged into ``i18n.MESSAGES``; same shape — key: (Korean, English).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- CLI -----------------------------------------------------------------------
    "cli.no_tty": (
        "마법사는 터미널이 필요합니다 (표준 입력/출력이 터미널이 아님): "
        "`hotfix list`, `hotfix render`, `hotfix validate`, `hotfix check` 등 하위 명령을 쓰세요 (`hotfix --help`)",
        "the wizard needs a terminal (stdin/stdout is not a TTY): "
        "use a subcommand such as `hotfix list`, `hotfix render`, `hotfix validate`, `hotfix check` (`hotfix --help`)",
    ),
    # -- field size limits ---------------------------------------------------------------
    "limit.refused": (
        "{field}: 최대 {limit:,}자입니다 — 입력한 {refused:,}자를 넣지 않았습니다",
        "{field}: at most {limit:,} characters — {refused:,} typed or pasted characters were not inserted",
    ),
    "limit.oversize_field": (
        "{field}: {size:,}자로 한도 {limit:,}자를 넘습니다 — 편집기에 불러오지 않았고 파일의 값은 그대로 둡니다 "
        "(`hotfix validate`, docs/draft-format.md 'Limits')",
        "{field}: {size:,} characters, over the {limit:,} limit — not loaded into the editor; the file's value is "
        "kept as is (`hotfix validate`, docs/draft-format.md 'Limits')",
    ),
    "limit.oversize_open": (
        "이 초안에 한도를 넘는 필드가 있습니다: {fields}. 그 필드는 잠겨 있고 값은 바뀌지 않습니다.",
        "This draft has fields over the size limit: {fields}. They are locked and their values are kept unchanged.",
    ),
    "limit.validate": (
        "{size:,}자로 필드 한도 {limit:,}자를 넘습니다 (docs/draft-format.md 'Limits'): 마법사는 이 필드를 잠급니다",
        "{size:,} characters, over the field limit of {limit:,} (docs/draft-format.md 'Limits'): the wizard locks this field",
    ),
    "limit.refuse_open": (
        "{path}: 필드가 크기 한도를 넘어 마법사로 열지 않습니다 ({fields} 문자). 파일에서 줄이세요; "
        "`hotfix validate {path}`가 목록을 보여 줍니다 (docs/draft-format.md 'Limits'). 파일은 그대로입니다.",
        "{path}: fields over the size limit, so the wizard does not open it ({fields} characters). Shorten them "
        "in the file; `hotfix validate {path}` lists them (docs/draft-format.md 'Limits'). The file is untouched.",
    ),
    "limit.preview_cut": (
        "… 미리보기는 처음 {shown:,}자만 보여 줍니다 (전체 {total:,}자; F4/F5는 전체를 복사·저장)",
        "… preview shows the first {shown:,} of {total:,} characters (F4/F5 copy/write all of it)",
    ),
    # -- exports (F5) ------------------------------------------------------------------
    "export.overwrite_q": ("{path}이(가) 이미 있습니다. 덮어쓸까요?", "{path} already exists. Overwrite it?"),
    "export.git_q": (
        "{path}은(는) git 작업 트리({root}) 안입니다: `git add .`가 이 파일을 스테이징할 수 있습니다. 그래도 쓸까요?",
        "{path} is inside a git work tree ({root}): `git add .` would stage it. Write it anyway?",
    ),
}
