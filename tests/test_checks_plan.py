"""Plan review and output parsing: counts, resource actions, undeclared changes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotfix_tui.services.kubectl import parse_get_all, parse_pods_json
from hotfix_tui.services.terraform import parse_validate_json
from hotfix_tui.services.plan import (
    PlanCounts,
    PlanParseError,
    outside_declared,
    parse_plan_text,
    parse_show_json,
    undeclared_changes,
)


def test_plan_line_and_no_changes_are_recognised():
    text = "kubernetes_config_map.metallb_config: Refreshing state...\n\nPlan: 1 to add, 2 to change, 1 to destroy.\n"
    counts = parse_plan_text(text)
    assert counts == PlanCounts(add=1, change=2, destroy=1)
    assert counts.has_changes and counts.summary() == "Plan: 1 to add, 2 to change, 1 to destroy."

    none = parse_plan_text("\nNo changes. Your infrastructure matches the configuration.\n\nTerraform has compared…\n")
    assert none.no_changes and not none.has_changes and none.summary() == "No changes."

    coloured = parse_plan_text("\x1b[1mPlan:\x1b[0m 0 to add, 1 to change, 0 to destroy.")
    assert coloured == PlanCounts(change=1)
    # Terraform ≥ 1.5 puts imports first.
    assert parse_plan_text("Plan: 2 to import, 0 to add, 0 to change, 0 to destroy.").imports == 2
    assert parse_plan_text("Error: Unsupported argument") is None


@given(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 50))
def test_plan_summary_round_trips(add, change, destroy, imports):
    counts = PlanCounts(add=add, change=change, destroy=destroy, imports=imports)
    assert parse_plan_text("noise\n" + counts.summary() + "\n\nSaved the plan to: x") == counts


def _rc(address, actions, type_=None, name=None, module=None, reason=None):
    type_ = type_ or address.split(".")[-2]
    name = name or address.split(".")[-1].split("[")[0]
    rc = {"address": address, "mode": "managed", "type": type_, "name": name,
          "provider_name": "registry.terraform.io/hashicorp/kubernetes", "change": {"actions": actions}}
    if module:
        rc["module_address"] = module
    if reason:
        rc["action_reason"] = reason
    return rc


# The shape of `terraform show -json PLANFILE` (Terraform's documented JSON plan representation).
PLAN_JSON = json.dumps({
    "format_version": "1.2",
    "terraform_version": "1.9.5",
    "resource_changes": [
        _rc("kubernetes_namespace.metallb_system", ["no-op"]),
        _rc("kubernetes_config_map.metallb_config", ["update"]),
        _rc("kubernetes_deployment.metallb_controller", ["update"]),
        _rc("kubernetes_service.ingress_nginx", ["delete", "create"], reason="replace_because_cannot_update"),
        _rc('module.dns.kubernetes_config_map.coredns["custom"]', ["create", "delete"], module="module.dns"),
        _rc("kubernetes_secret.old_tls", ["delete"]),
        _rc("kubernetes_config_map.new_pool", ["create"]),
        {**_rc("data.kubernetes_service.lb", ["read"]), "mode": "data"},
    ],
})


def test_show_json_lists_every_resource_with_its_action():
    review = parse_show_json(PLAN_JSON)
    assert review.format_version == "1.2" and review.terraform_version == "1.9.5"
    assert {c.address: c.action for c in review.changes} == {
        "kubernetes_namespace.metallb_system": "no-op",
        "kubernetes_config_map.metallb_config": "update",
        "kubernetes_deployment.metallb_controller": "update",
        "kubernetes_service.ingress_nginx": "replace",
        'module.dns.kubernetes_config_map.coredns["custom"]': "replace",  # create_before_destroy
        "kubernetes_secret.old_tls": "delete",
        "kubernetes_config_map.new_pool": "create",
        "data.kubernetes_service.lb": "read",
    }
    assert review.counts == {"no-op": 1, "update": 2, "replace": 2, "delete": 1, "create": 1, "read": 1}
    # Terraform's own arithmetic: a replace is one add and one destroy.
    assert review.plan_counts == PlanCounts(add=3, change=2, destroy=3)
    assert [c.address for c in review.destroys] == ["kubernetes_secret.old_tls"]
    assert len(review.replaces) == 2 and len(review.touched) == 6
    lines = review.lines()
    assert lines[:3] == [
        "-/+ kubernetes_service.ingress_nginx (replace, replace because cannot update)",
        '-/+ module.dns.kubernetes_config_map.coredns["custom"] (replace)',
        "  - kubernetes_secret.old_tls (delete)",
    ]
    assert lines[3:] == ["  ~ kubernetes_config_map.metallb_config (update)",
                         "  ~ kubernetes_deployment.metallb_controller (update)",
                         "  + kubernetes_config_map.new_pool (create)"]


def test_show_json_rejects_what_is_not_a_plan():
    with pytest.raises(PlanParseError, match="did not print JSON"):
        parse_show_json("Error: Failed to read the given file as a state or plan file")
    with pytest.raises(PlanParseError, match="not a plan"):
        parse_show_json(json.dumps({"format_version": "1.0", "values": {"root_module": {}}}))
    with pytest.raises(PlanParseError, match="format_version 2.0"):
        parse_show_json(json.dumps({"format_version": "2.0", "resource_changes": []}))
    assert parse_show_json(json.dumps({"format_version": "1.2", "resource_changes": []})).changes == []


SEED_IMPACT = """\
- metallb-system 네임스페이스의 metallb-config ConfigMap
- MetalLB controller가 재시작되어 새로운 IP 풀 적용
- 기존 할당된 IP는 유지됨"""


def test_changes_outside_the_declared_impact_are_warned_about():
    review = parse_show_json(PLAN_JSON)
    warned = [c.address for c in undeclared_changes(review, SEED_IMPACT + "\nnew_pool 추가, dns 모듈")]
    # metallb_config ~ "metallb-config", metallb_controller ~ "MetalLB controller", the dns module and
    # new_pool are declared; no-op and read never count.
    assert warned == ["kubernetes_service.ingress_nginx", "kubernetes_secret.old_tls"]
    warnings = outside_declared(review, SEED_IMPACT + "\nnew_pool 추가, dns 모듈")
    assert warnings == [
        "plan will replace kubernetes_service.ingress_nginx — destructive, which the declared impact does not mention",
        "plan will delete kubernetes_secret.old_tls — destructive, which the declared impact does not mention",
    ]
    # Naming the type covers every resource of it.
    assert "kubernetes_secret.old_tls" not in [
        c.address for c in undeclared_changes(review, "kubernetes_secret 정리")]
    assert len(outside_declared(review, "")) == len(review.touched)


names = st.from_regex(r"[a-z][a-z0-9_]{2,15}", fullmatch=True)


@given(st.lists(st.tuples(names, names, st.sampled_from(["create", "update", "delete"])), min_size=1, max_size=8),
       st.data())
def test_a_resource_named_in_the_impact_is_never_warned_about(resources, data):
    review = parse_show_json(json.dumps({"format_version": "1.2", "resource_changes": [
        _rc(f"{t}.{n}", [a], type_=t, name=n) for t, n, a in resources]}))
    mentioned = data.draw(st.sampled_from(review.changes))
    text = f"영향 범위: {mentioned.address} 변경"
    assert mentioned.address not in [c.address for c in undeclared_changes(review, text)]


def test_validate_json_reports():
    ok = parse_validate_json('{"format_version":"1.0","valid":true,"error_count":0,"warning_count":1,'
                             '"diagnostics":[{"severity":"warning","summary":"Deprecated attribute",'
                             '"detail":"","range":{"filename":"main.tf","start":{"line":3,"column":1,"byte":0},'
                             '"end":{"line":3,"column":9,"byte":8}}}]}')
    assert ok.valid and ok.warning_count == 1
    assert ok.summary() == "The configuration is valid. (0 errors, 1 warning)"
    assert ok.diagnostics[0].text() == "warning: Deprecated attribute (main.tf:3)"
    # Terraform can fail before it starts validating; then the output is not JSON.
    assert parse_validate_json("Error: Terraform initialized in an empty directory!") is None
    assert parse_validate_json('{"something": "else"}') is None


def test_get_all_rows_become_resources():
    text = """\
NAME                             READY   STATUS    RESTARTS   AGE
pod/controller-7d4b9c8f6-x2x9k   1/1     Running   0          5m

NAME                              TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
service/metallb-webhook-service   ClusterIP   10.96.0.15   <none>        80/TCP    5m

NAME                         READY   UP-TO-DATE   AVAILABLE   AGE
deployment.apps/controller   1/1     1            1           5m
"""
    assert [(r.kind, r.name, r.is_pod) for r in parse_get_all(text)] == [
        ("pod", "controller-7d4b9c8f6-x2x9k", True),
        ("service", "metallb-webhook-service", False),
        ("deployment.apps", "controller", False),
    ]


def test_pod_health_counts_not_ready_and_restarts():
    pods = {"items": [
        {"metadata": {"name": "a"}, "status": {"phase": "Running",
                                               "containerStatuses": [{"ready": True, "restartCount": 1}]}},
        {"metadata": {"name": "b"}, "status": {"phase": "Pending"}},
        {"metadata": {"name": "job"}, "status": {"phase": "Succeeded",
                                                 "containerStatuses": [{"ready": False, "restartCount": 0}]}},
    ]}
    health = parse_pods_json(json.dumps(pods))
    assert (health.total, health.not_ready, health.restarts) == (3, ["b"], 1)
    assert parse_pods_json("not json") is None
