"""Can a node in a subnet reach the EKS control plane? Read through boto3 only.

A worker joins its cluster over the network: from a private subnet through a
NAT gateway (a ``0.0.0.0/0`` route to ``nat-…``), from a public subnet through
the internet gateway (a ``0.0.0.0/0`` route to ``igw-…``) with a public IP,
which needs ``MapPublicIpOnLaunch`` on the subnet. Without either, EKS reports
the node group ``CREATE_FAILED`` with a ``NodeCreationFailure`` health issue.
"""
from __future__ import annotations


def route_table(ec2, subnet: dict) -> dict | None:
    """The subnet's route table: its explicit association, else its VPC's main table."""
    tables = ec2.describe_route_tables(Filters=[
        {"Name": "association.subnet-id", "Values": [subnet["SubnetId"]]}])["RouteTables"]
    if tables:
        return tables[0]
    tables = ec2.describe_route_tables(Filters=[
        {"Name": "vpc-id", "Values": [subnet["VpcId"]]},
        {"Name": "association.main", "Values": ["true"]}])["RouteTables"]
    return tables[0] if tables else None


def reaches_control_plane(ec2, subnet: dict) -> bool:
    table = route_table(ec2, subnet)
    for route in (table or {}).get("Routes", []):
        if route.get("DestinationCidrBlock") != "0.0.0.0/0":
            continue
        if route.get("NatGatewayId"):
            return True
        if str(route.get("GatewayId", "")).startswith("igw-") and subnet.get("MapPublicIpOnLaunch"):
            return True
    return False


def unreachable_subnets(ec2, subnet_ids: list[str]) -> list[str]:
    subnets = ec2.describe_subnets(SubnetIds=list(subnet_ids))["Subnets"]
    return [s["SubnetId"] for s in subnets if not reaches_control_plane(ec2, s)]
