"""The EKS sample VPC template, shipped with kubelearn, and what moto needs done to it.

``EKS_VPC_TEMPLATE`` is the path of ``templates/amazon-eks-vpc-private-subnets.yaml``:
a copy of the public ``amazon-eks-vpc-private-subnets`` template written out in
long form (``Fn::Sub:`` rather than ``!Sub``), so it reads as plain YAML too.
VPC 192.168.0.0/16, two public and two private /18 subnets in two AZs, an
internet gateway, a NAT gateway per AZ, route tables, ``ControlPlaneSecurityGroup``;
outputs ``SubnetIds``, ``SecurityGroups``, ``VpcId``. ``aws cloudformation
create-stack --template-body file://...`` takes the path; ``template_body()`` the text.

moto resolves ``Fn::GetAZs`` only for a literal region (``{Ref: AWS::Region}`` and
``''`` fail or land in us-east-1), so ``resolve_get_azs`` rewrites it to the
stack's region. The account does it for every ``CreateStack`` call (a
before-parameter-build hook), so the learner's own templates work as well.
"""
from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
EKS_VPC_TEMPLATE = str(TEMPLATES / "amazon-eks-vpc-private-subnets.yaml")

_REGION_FORMS = [
    # JSON: "Fn::GetAZs": {"Ref": "AWS::Region"} / "Fn::GetAZs": ""
    (re.compile(r'"Fn::GetAZs"\s*:\s*(\{\s*"Ref"\s*:\s*"AWS::Region"\s*\}|""|\'\')'),
     lambda region: f'"Fn::GetAZs": "{region}"'),
    # YAML block: Fn::GetAZs:\n    Ref: AWS::Region
    (re.compile(r"Fn::GetAZs:[ \t]*\n[ \t]*Ref:[ \t]*['\"]?AWS::Region['\"]?"),
     lambda region: f"Fn::GetAZs: {region}"),
    # YAML flow: Fn::GetAZs: {Ref: AWS::Region} / Fn::GetAZs: '' / ""
    (re.compile(r"Fn::GetAZs:[ \t]*(\{\s*Ref:\s*['\"]?AWS::Region['\"]?\s*\}|''|\"\")"),
     lambda region: f"Fn::GetAZs: {region}"),
    # YAML short form: !GetAZs '' / !GetAZs !Ref AWS::Region / !GetAZs {Ref: AWS::Region}
    (re.compile(r"!GetAZs[ \t]+(''|\"\"|!Ref[ \t]+['\"]?AWS::Region['\"]?"
                r"|\{\s*Ref:\s*['\"]?AWS::Region['\"]?\s*\})"),
     lambda region: f"!GetAZs {region}"),
]


def resolve_get_azs(body: str, region: str) -> str:
    """``body`` with every region-relative ``Fn::GetAZs`` made literal for ``region``."""
    for pattern, replacement in _REGION_FORMS:
        body = pattern.sub(lambda _m, r=region, f=replacement: f(r), body)
    return body


def template_body(region: str | None = None) -> str:
    """The EKS VPC template's text (resolved for ``region`` when one is given)."""
    body = Path(EKS_VPC_TEMPLATE).read_text()
    return resolve_get_azs(body, region) if region else body


def rewrite_create_stack(params, context, **_):
    """before-parameter-build.cloudformation.CreateStack: make GetAZs literal."""
    body = params.get("TemplateBody")
    if isinstance(body, str):
        params["TemplateBody"] = resolve_get_azs(
            body, context.get("client_region") or "us-east-1")
