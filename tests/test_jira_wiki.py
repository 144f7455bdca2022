"""Markdown -> Jira wiki markup conversion (hotfix_tui.render.jira_wiki)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from hotfix_tui.render.jira_wiki import markdown_to_jira

# The seed's §2.3 example description, verbatim.
SEED_DESCRIPTION = """\
## 문제 상황
MetalLB가 LoadBalancer 타입 서비스에 External IP를 할당하지 못함
모든 LoadBalancer 서비스가 <pending> 상태로 유지됨

## 발생 시점
2025-10-19 14:30경부터 발생

## 영향 범위
- Ingress Controller 외부 접근 불가
- 모든 외부 서비스 연결 불가
- 프로덕션 환경 전체 영향

## 재현 방법
1. kubectl get svc -A | grep LoadBalancer
2. EXTERNAL-IP 필드가 모두 <pending> 상태
3. kubectl logs -n metallb-system 확인 시 IP 풀 설정 오류 로그 발견

## 근본 원인
metallb-config ConfigMap에서 IP 범위 설정이 잘못됨
기존: 192.168.1.200-192.168.1.250 (DHCP 범위와 충돌)

## 수정 계획
1. IP 범위를 192.168.1.100-192.168.1.150으로 변경
2. MetalLB controller 재시작
3. LoadBalancer 서비스 상태 확인

## 롤백 계획
Terraform state 백업 후 이전 설정으로 복구 가능
"""

SEED_DESCRIPTION_JIRA = """\
h2. 문제 상황

MetalLB가 LoadBalancer 타입 서비스에 External IP를 할당하지 못함
모든 LoadBalancer 서비스가 <pending> 상태로 유지됨

h2. 발생 시점

2025-10-19 14:30경부터 발생

h2. 영향 범위

* Ingress Controller 외부 접근 불가
* 모든 외부 서비스 연결 불가
* 프로덕션 환경 전체 영향

h2. 재현 방법

# kubectl get svc -A \\| grep LoadBalancer
# EXTERNAL-IP 필드가 모두 <pending> 상태
# kubectl logs -n metallb-system 확인 시 IP 풀 설정 오류 로그 발견

h2. 근본 원인

metallb-config ConfigMap에서 IP 범위 설정이 잘못됨
기존: 192.168.1.200-192.168.1.250 (DHCP 범위와 충돌)

h2. 수정 계획

# IP 범위를 192.168.1.100-192.168.1.150으로 변경
# MetalLB controller 재시작
# LoadBalancer 서비스 상태 확인

h2. 롤백 계획

Terraform state 백업 후 이전 설정으로 복구 가능
"""


def test_seed_example_description():
    assert markdown_to_jira(SEED_DESCRIPTION) == SEED_DESCRIPTION_JIRA


# --- block structure -------------------------------------------------------


def test_atx_headings_all_levels():
    md = "# one\n## two\n### three\n#### four\n##### five\n###### six\n"
    out = markdown_to_jira(md)
    assert out == (
        "h1. one\n\nh2. two\n\nh3. three\n\nh4. four\n\nh5. five\n\nh6. six\n"
    )
    assert not any(line.startswith("#") for line in out.splitlines())


def test_setext_headings_and_document_full_of_headings():
    md = "Title\n=====\n\nSub\n---\n\n## 문제 상황\ntext\n### 🚨 긴급\n"
    out = markdown_to_jira(md)
    assert out == "h1. Title\n\nh2. Sub\n\nh2. 문제 상황\n\ntext\n\nh3. 🚨 긴급\n"
    assert not any(line.lstrip().startswith("#") for line in out.splitlines())


def test_setext_heading_spanning_lines_stays_on_one_line():
    assert markdown_to_jira("first\nsecond\n===\n") == "h1. first second\n"


def test_paragraphs_are_separated_by_one_blank_line():
    assert markdown_to_jira("one\n\n\n\ntwo\n") == "one\n\ntwo\n"


def test_soft_and_hard_breaks_become_newlines_in_paragraphs():
    assert markdown_to_jira("line one\nline two  \nline three\\\nline four") == (
        "line one\nline two\nline three\nline four\n"
    )


def test_bullet_list_nested():
    md = "- a\n- b\n  - b1\n    - b1x\n  - b2\n- c\n"
    assert markdown_to_jira(md) == "* a\n* b\n** b1\n*** b1x\n** b2\n* c\n"


def test_ordered_list_nested_and_numbering_is_implicit():
    md = "1. first\n2. second\n   1. inner\n   2. inner two\n3. third\n"
    assert markdown_to_jira(md) == "# first\n# second\n## inner\n## inner two\n# third\n"


def test_ordered_list_with_other_start_number():
    # Jira cannot start a numbered list at 5; the items are still numbered.
    assert markdown_to_jira("5. five\n6. six\n") == "# five\n# six\n"


def test_mixed_nesting():
    md = "1. step\n   - detail\n     1. sub step\n- bullet\n"
    assert markdown_to_jira(md) == "# step\n#* detail\n#*# sub step\n\n* bullet\n"


def test_list_item_soft_break_uses_forced_line_break():
    md = "- first line\n  second line\n- next\n"
    assert markdown_to_jira(md) == "* first line \\\\ second line\n* next\n"


def test_loose_list_item_with_two_paragraphs():
    md = "- para one\n\n  para two\n- next\n"
    assert markdown_to_jira(md) == "* para one \\\\ para two\n* next\n"


def test_list_then_paragraph_are_separate_blocks():
    assert markdown_to_jira("- a\n- b\n\nafter\n") == "* a\n* b\n\nafter\n"


def test_task_items():
    md = "- [x] 문제 재현 및 수정 확인\n- [ ] 영향도 분석\n- [X] upper case\n- plain\n"
    assert markdown_to_jira(md) == (
        "* (/) 문제 재현 및 수정 확인\n* \u2610 영향도 분석\n* (/) upper case\n* plain\n"
    )


def test_task_items_in_ordered_and_nested_lists():
    md = "1. [ ] first\n   - [x] nested done\n"
    assert markdown_to_jira(md) == "# \u2610 first\n#* (/) nested done\n"


def test_bracket_that_is_not_a_task_marker_is_escaped():
    assert markdown_to_jira("- [x]foo\n") == "* \\[x\\]foo\n"
    assert markdown_to_jira("[x] not in a list\n") == "\\[x\\] not in a list\n"


def test_fenced_code_with_language():
    md = "```bash\nkubectl get svc -A | grep LoadBalancer\necho {a} *b* [c]\n```\n"
    assert markdown_to_jira(md) == (
        "{code:bash}\nkubectl get svc -A | grep LoadBalancer\necho {a} *b* [c]\n{code}\n"
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("python", "python"),
        ("hcl", "hcl"),
        ("yaml", "yaml"),
        ("json", "json"),
        ("sh", "bash"),
        ("yml", "yaml"),
        ("Terraform", "hcl"),
        ("rust", "rust"),
    ],
)
def test_fenced_code_language_names(lang, expected):
    md = f"```{lang}\nx = 1\n```\n"
    assert markdown_to_jira(md) == f"{{code:{expected}}}\nx = 1\n{{code}}\n"


def test_fenced_code_without_language_is_noformat_and_verbatim():
    md = "```\n  indented {x} | y  \n\n# not a heading\n```\n"
    assert markdown_to_jira(md) == (
        "{noformat}\n  indented {x} | y  \n\n# not a heading\n{noformat}\n"
    )


def test_indented_code_block_is_noformat():
    assert markdown_to_jira("text\n\n    $ terraform plan\n") == (
        "text\n\n{noformat}\n$ terraform plan\n{noformat}\n"
    )


def test_code_that_contains_its_own_closing_tag_switches_macro():
    md = "```bash\necho '{code}'\n```\n"
    assert markdown_to_jira(md) == "{noformat}\necho '{code}'\n{noformat}\n"


def test_unsafe_language_parameter_falls_back_to_noformat():
    assert markdown_to_jira("```a|b\nx\n```\n") == "{noformat}\nx\n{noformat}\n"


def test_horizontal_rule():
    assert markdown_to_jira("above\n\n---\n\nbelow\n") == "above\n\n----\n\nbelow\n"
    assert markdown_to_jira("***\n") == "----\n"


def test_blockquote():
    md = "> 주의: 프로덕션\n> 두 번째 줄\n>\n> - item\n"
    assert markdown_to_jira(md) == (
        "{quote}\n주의: 프로덕션\n두 번째 줄\n\n* item\n{quote}\n"
    )


def test_nested_blockquote_is_flattened():
    assert markdown_to_jira("> outer\n> > inner\n") == "{quote}\nouter\n\ninner\n{quote}\n"


def test_table():
    md = "| 항목 | 값 |\n|---|:-:|\n| IP 풀 | 192.168.1.100-150 |\n| a \\| b | |\n"
    assert markdown_to_jira(md) == (
        "||항목||값||\n|IP 풀|192.168.1.100-150|\n|a \\| b| |\n"
    )


def test_table_cells_with_inline_markup():
    md = "| cmd | note |\n|---|---|\n| `kubectl get svc` | **필수** |\n"
    assert markdown_to_jira(md) == "||cmd||note||\n|{{kubectl get svc}}|*필수*|\n"


# --- inline markup -----------------------------------------------------------


def test_emphasis_strong_strike():
    assert markdown_to_jira("**bold** *em* _em2_ ~~gone~~") == "*bold* _em_ _em2_ -gone-\n"


def test_nested_emphasis():
    assert markdown_to_jira("***both*** **bold _and em_**") == "_*both*_ *bold _and em_*\n"


def test_emphasis_touching_a_letter_uses_brace_form():
    # Jira ignores "*긴급*으로" because the closing * is followed by a letter.
    assert markdown_to_jira("**긴급**으로 처리") == "{*}긴급{*}으로 처리\n"
    assert markdown_to_jira("a**b**c") == "a{*}b{*}c\n"


def test_emphasis_across_soft_break_is_split_per_line():
    assert markdown_to_jira("**첫 줄\n둘째 줄**") == "*첫 줄*\n*둘째 줄*\n"


def test_inline_code():
    assert markdown_to_jira("run `terraform plan` now") == "run {{terraform plan}} now\n"


def test_inline_code_followed_by_korean_particle_uses_brace_form():
    assert markdown_to_jira("`terraform apply`로 복구") == "{{{}terraform apply{}}}로 복구\n"


def test_inline_code_escapes_markup_inside():
    assert markdown_to_jira("`a | b`") == "{{a \\| b}}\n"
    assert markdown_to_jira("`[x]`") == "{{\\[x\\]}}\n"


def test_inline_code_with_braces_falls_back_to_escaped_text():
    assert markdown_to_jira("use `${var.ip_range}` here") == "use $\\{var.ip_range\\} here\n"
    assert markdown_to_jira("`{}`") == "\\{\\}\n"


def test_links():
    md = "[JIRA](https://gjrjr4545.atlassian.net/browse/TERRAFORM-15)"
    assert markdown_to_jira(md) == "[JIRA|https://gjrjr4545.atlassian.net/browse/TERRAFORM-15]\n"


def test_link_whose_text_is_the_url():
    assert markdown_to_jira("[https://example.com](https://example.com)") == (
        "[https://example.com]\n"
    )


def test_autolinks():
    assert markdown_to_jira("see <https://example.com/a_b>") == "see [https://example.com/a_b]\n"
    assert markdown_to_jira("<ops@example.com>") == "[ops@example.com|mailto:ops@example.com]\n"


def test_link_text_markup_and_url_escaping():
    assert markdown_to_jira("[**PR** #42](https://x.test/a|b)") == (
        "[*PR* #42|https://x.test/a%7Cb]\n"
    )


def test_link_text_with_line_break_stays_on_one_line():
    assert markdown_to_jira("[two\nlines](https://x.test)") == "[two lines|https://x.test]\n"


def test_image():
    assert markdown_to_jira("![diagram](https://x.test/d.png)") == "!https://x.test/d.png!\n"


def test_bare_url_is_left_for_jira_to_link():
    # "-c-" would be a strike-through in plain text; inside a URL Jira links
    # first, and a backslash would corrupt the link target.
    url = "https://x.test/a-b/-c-/x_y"
    assert markdown_to_jira(f"{url} ok") == f"{url} ok\n"
    assert markdown_to_jira("-c- ok") == "\\-c\\- ok\n"


# --- escaping ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "192.168.1.200-192.168.1.250",
        "metallb-system",
        "2025-10-19 14:30경부터 발생",
        "EXTERNAL-IP 필드가 모두 <pending> 상태",
        "kubectl get svc -A",
        "kubectl logs -n metallb-system",
        "snake_case_name and C++ and ~/path and 2^10",
        "a - b + c",
        "정말?",
        "C:\\Users\\ops",
        "AT&T",
        "(DHCP 범위와 충돌)",
    ],
)
def test_plain_text_passes_through_unchanged(text):
    assert markdown_to_jira(text) == text + "\n"


def test_pending_angle_brackets_are_plain_text():
    assert markdown_to_jira("<pending>") == "<pending>\n"
    assert markdown_to_jira("상태: <pending>\n") == "상태: <pending>\n"


def test_braces_pipes_and_brackets_are_escaped():
    assert markdown_to_jira("{foo}") == "\\{foo\\}\n"
    assert markdown_to_jira("a | b") == "a \\| b\n"
    assert markdown_to_jira("[x]") == "\\[x\\]\n"
    assert markdown_to_jira("see {code} and [~user]") == "see \\{code\\} and \\[~user\\]\n"


def test_literal_asterisks_are_not_bold():
    assert markdown_to_jira("\\*not bold\\*") == "\\*not bold\\*\n"
    assert markdown_to_jira("\\_not em\\_") == "\\_not em\\_\n"
    assert markdown_to_jira("a \\-not struck\\- b") == "a \\-not struck\\- b\n"


def test_doubled_literal_asterisks_are_not_bold():
    # Jira treats an escaped character as neutral phrase content, so the
    # outer pair must be broken as well as the inner one.
    assert markdown_to_jira("\\*\\*x\\*\\*") == "*\\*x\\*\\*\n"


def test_escaped_line_starts_do_not_become_structure():
    md = "\\# not a list\n\\- not a bullet\n\\* not a bullet\nh1. not a heading\nbq. not a quote\n"
    assert markdown_to_jira(md) == (
        "\\# not a list\n\\- not a bullet\n\\* not a bullet\n"
        "&#104;1. not a heading\n&#98;q. not a quote\n"
    )


def test_markdown_heading_text_that_looks_like_jira_heading():
    assert markdown_to_jira("\\## h2. text") == "\\## h2. text\n"


def test_bold_starting_with_dash_does_not_become_a_list():
    assert markdown_to_jira("**- 주의**") == "*\\- 주의*\n"


def test_dashes_surrounded_by_spaces_are_escaped():
    assert markdown_to_jira("a -- b --- c") == "a \\-- b \\--- c\n"


def test_emoticons_are_defused():
    assert markdown_to_jira("ok (/) no (x) :) ;)") == "ok \\(/) no \\(x) :\\) ;\\)\n"


def test_exclamation_and_citation_pairs():
    assert markdown_to_jira("주의! 확인!") == "주의\\! 확인\\!\n"
    assert markdown_to_jira("what?? really??") == "what\\?? really\\??\n"


def test_backslash_before_markup_character_becomes_reference():
    assert markdown_to_jira("`a\\|`") == "{{a&#92;\\|}}\n"


def test_entity_like_text_is_not_decoded_by_jira():
    assert markdown_to_jira("&amp;lt;") == "&amp;lt;\n"


def test_korean_and_emoji_pass_through():
    md = "## 🚨 긴급 수정 사항\n긴급 수정이 필요하므로 빠른 리뷰 부탁드립니다 🙏\n"
    assert markdown_to_jira(md) == (
        "h2. 🚨 긴급 수정 사항\n\n긴급 수정이 필요하므로 빠른 리뷰 부탁드립니다 🙏\n"
    )


# --- output normalisation ----------------------------------------------------


def test_empty_and_blank_input():
    assert markdown_to_jira("") == ""
    assert markdown_to_jira("\n\n  \n") == ""


def test_single_trailing_newline_and_no_trailing_spaces():
    out = markdown_to_jira("text   \n\n\n\n- item  \n\n\n")
    assert out == "text\n\n* item\n"


# --- properties ----------------------------------------------------------------

_PARSER = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

_MARKDOWNISH = st.lists(
    st.sampled_from(
        list("#*-_+~^!?[](){}|\\`<>:;& \n\tx가🚨1.=")
        + ["## ", "# ", "- ", "1. ", "- [ ] ", "```", "    ", "h1. ", "bq. ", "**", "~~", "----"]
    ),
    max_size=40,
).map("".join)


def _lines_outside_code(out: str):
    closing = None
    for line in out.split("\n"):
        if closing:
            if line == closing:
                closing = None
            continue
        if line == "{noformat}":
            closing = "{noformat}"
        elif line.startswith("{code"):
            closing = "{code}"
        yield line


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(st.text(), _MARKDOWNISH))
def test_property_never_raises_and_never_leaks_markdown_headings(text):
    out = markdown_to_jira(text)
    assert out == "" or (out.endswith("\n") and not out.endswith("\n\n"))
    token_types = {token.type for token in _PARSER.parse(text)}
    for line in _lines_outside_code(out):
        assert line == line.rstrip(" \t")
        for part in line.splitlines() or [""]:
            # Markdown headings become "hN. "; a "## " line may only be a
            # nested *numbered list*, which Jira also writes with "#".
            if "ordered_list_open" not in token_types:
                assert not re.match(r"\s*#{1,6}\s", part), (text, out)
            # Without Markdown lists, nothing may turn into a Jira list.
            if not {"bullet_list_open", "ordered_list_open"} & token_types:
                assert not re.match(r"\s*[*#-]+\s", part), (text, out)
            if "heading_open" not in token_types:
                assert not re.match(r"\s*h[1-6]\.", part), (text, out)
