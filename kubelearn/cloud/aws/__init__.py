"""The simulated AWS account of chapter 5 (deploying to EKS), offline.

``SimulatedAWS`` (``account``) runs moto in-process and hands out genuine boto3
clients carrying the course's hooks:

* ``checks`` — the refusals AWS makes and moto does not (before the call);
* ``lifecycle`` — EKS statuses in simulated time, waiters that move it (after
  the call); ``network`` — can a subnet reach the control plane;
* ``addons`` — EKS add-ons (moto has none), answered before the call from records
  of their own; an ACTIVE ``aws-efs-csi-driver`` installs ``efs.csi.aws.com``;
* ``cleanup`` — deleting the VPC stack while its VPC is in use: DELETE_FAILED;
* ``timestamps`` — moto's wall-clock dates moved onto the simulated clock;
* ``bridge`` — the kubelearn cluster and worker nodes behind EKS clusters and
  node groups, EFS mounts decided by ``efs_access``;
* ``samples`` — the EKS VPC template; ``cli``/``output``/``configure`` — the
  ``aws`` command line (``%aws``); ``kubeconfig`` — ``aws eks update-kubeconfig``;
  ``home`` — where files go (the kubelearn home, never ``~/.aws``/``~/.kube``);
  ``errors`` — AWS errors made by a hook.
"""
from kubelearn.cloud.aws.account import SimulatedAWS, current

__all__ = ["SimulatedAWS", "current", "aws"]


def aws(command: str):
    """``aws("eks list-clusters")``: run an aws command line in this kernel's account
    (started with the default region if none is running)."""
    account = current() or SimulatedAWS()
    return account.cli(command)
