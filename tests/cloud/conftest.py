"""Fixtures of the EKS tests: an EKS cluster, eks_fresh or with two worker nodes in two
zones, and the manifests they use."""
from __future__ import annotations

import pytest

from kubelearn import Cluster
from kubelearn.cloud import eks

NODE_A = "ip-192-168-12-34.us-east-2.compute.internal"
NODE_B = "ip-192-168-100-7.us-east-2.compute.internal"

WEB = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27", ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
"""


def add_two_nodes(c) -> None:
    eks.add_node(c, NODE_A, ip="192.168.12.34", zone="us-east-2a", nodegroup="ng-1")
    eks.add_node(c, NODE_B, ip="192.168.100.7", zone="us-east-2b", nodegroup="ng-1")


@pytest.fixture()
def eks_fresh():
    return Cluster.eks()


@pytest.fixture()
def eks_two_nodes():
    c = Cluster.eks()
    add_two_nodes(c)
    c.settle()
    return c


def pods(c, namespace="kube-system") -> dict[str, dict]:
    return {p["metadata"]["name"]: p for p in c.api.list("Pod", namespace)}
