"""``minikube addons enable``: the addons kubelearn simulates.

* ``csi-hostpath-driver`` installs the CSI host-path driver: kubelearn registers
  ``hostpath.csi.k8s.io`` with the cluster's storage (``cluster.storage.csi``),
  so ``csi`` volumes of that driver mount (each volume a directory under
  ``/var/lib/csi-hostpath-data`` on the node that uses it). Without the addon
  they fail as on a real minikube: ``MountVolume.MountDevice failed ... driver
  name hostpath.csi.k8s.io not found in the list of registered CSI drivers``.
  The addon's pods and its ``csi-hostpath-sc`` StorageClass are not simulated
  (kubelearn has no external CSI provisioner yet);
* ``dashboard`` applies the dashboard addon, as ``minikube dashboard`` does.

The output is minikube's (``pkg/addons``, ``cmd/minikube/cmd/config/enable.go``):
the maintainer tip, the volumesnapshots warning (on stderr) for the CSI driver,
one ``▪ Using image`` line per image, then the enabled line. A name minikube does
not know fails with ``MK_ADDON_ENABLE``; a real addon kubelearn does not simulate
says so.
"""
from __future__ import annotations

from kubelearn.cloud import minikube as mk
from kubelearn.node.volumes import HOSTPATH_CSI, storage_of

EX_PROGRAM_ERROR = 10                  # reason.ExProgramError (MK_ADDON_ENABLE)
MAINTAINERS_URL = "https://github.com/kubernetes/minikube/blob/master/OWNERS"
# The addon's images, in the order one real `minikube addons enable` printed them
# (minikube ranges over a Go map, so the order varies from run to run).
CSI_HOSTPATH_IMAGES = tuple(f"registry.k8s.io/sig-storage/{image}" for image in (
    "csi-attacher:v4.0.0", "csi-external-health-monitor-controller:v0.7.0",
    "csi-node-driver-registrar:v2.6.0", "hostpathplugin:v1.9.0", "livenessprobe:v2.8.0",
    "csi-resizer:v1.6.0", "csi-snapshotter:v6.1.0", "csi-provisioner:v3.3.0"))
VOLUMESNAPSHOTS_WARNING = (
    "❗  [WARNING] For full functionality, the 'csi-hostpath-driver' addon requires the "
    "'volumesnapshots' addon to be enabled.\n\nYou can enable 'volumesnapshots' addon by "
    "running: 'minikube addons enable volumesnapshots'\n\n")
# minikube's addons (assets.Addons), for telling a typo from an addon kubelearn lacks.
KNOWN_ADDONS = (
    "ambassador", "amd-gpu-device-plugin", "auto-pause", "cloud-spanner",
    "csi-hostpath-driver", "dashboard", "default-storageclass", "efk", "freshpod", "gcp-auth",
    "gvisor", "headlamp", "inaccel", "ingress", "ingress-dns", "inspektor-gadget", "istio",
    "istio-provisioner", "kong", "kubeflow", "kubevirt", "logviewer", "metallb",
    "metrics-server", "nvidia-device-plugin", "nvidia-driver-installer",
    "nvidia-gpu-device-plugin", "olm", "pod-security-policy", "portainer", "registry",
    "registry-aliases", "registry-creds", "storage-provisioner", "storage-provisioner-gluster",
    "storage-provisioner-rancher", "volcano", "volumesnapshots", "yakd")
SIMULATED_ADDONS = ("csi-hostpath-driver", "dashboard")


def addons(cluster, out, args: list[str]) -> int:
    """``minikube addons SUBCOMMAND``: only ``enable`` is simulated."""
    if not args or args[0] != "enable":
        what = f"addons {args[0]}" if args else "addons"
        out.err(f"kubelearn: `minikube {what}` is not simulated; kubelearn's minikube knows "
                f"`addons enable` ({', '.join(SIMULATED_ADDONS)}).\n")
        raise mk._Exit(1)
    _, names = mk._flags(out, "addons enable", args[1:], {
        "--images": "str", "--registries": "str", "--force": "bool", "--refresh": "bool"})
    if len(names) != 1:
        mk._fatal(out, "MK_USAGE", "usage: minikube addons enable ADDON_NAME",
                  mk.EX_PROGRAM_USAGE)
    name = names[0]
    if name not in KNOWN_ADDONS:
        mk._fatal(out, "MK_ADDON_ENABLE", f"enable failed: {name} is not a valid addon",
                  EX_PROGRAM_ERROR)
    if name not in SIMULATED_ADDONS:
        out.err(f"kubelearn: the {name} addon is not simulated yet; kubelearn's minikube can "
                f"enable {', '.join(SIMULATED_ADDONS)}.\n")
        raise mk._Exit(1)
    out.out(f"💡  {name} is an addon maintained by Kubernetes. For any concerns contact "
            f"minikube on GitHub.\nYou can view the list of minikube maintainers at: "
            f"{MAINTAINERS_URL}\n")
    if name == "csi-hostpath-driver":
        _enable_csi_hostpath_driver(cluster, out)
    else:
        _enable_dashboard(cluster, out)
    out.out(f"🌟  The '{name}' addon is enabled\n")
    return 0


def _enable_csi_hostpath_driver(cluster, out) -> None:
    out.err(VOLUMESNAPSHOTS_WARNING)
    for image in CSI_HOSTPATH_IMAGES:
        out.out(f"    ▪ Using image {image}\n")
    out.out("🔎  Verifying csi-hostpath-driver addon...\n")
    storage_of(cluster).register_csi_driver(HOSTPATH_CSI)


def _enable_dashboard(cluster, out) -> None:
    out.out(f"    ▪ Using image {mk.DASHBOARD_IMAGE}\n")
    out.out(f"    ▪ Using image {mk.SCRAPER_IMAGE}\n")
    mk.enable_dashboard(cluster)
    mk.state(cluster).dashboard_enabled = True
    out.out("💡  Some dashboard features require the metrics-server addon. To enable all "
            "features please run:\n\n\tminikube addons enable metrics-server\t\n\n\n")
