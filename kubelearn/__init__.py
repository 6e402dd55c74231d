"""kubelearn: a Kubernetes course on a deterministic, in-memory cluster.

>>> from kubelearn import Cluster
>>> c = Cluster()
>>> print(c.kubectl("get nodes"))

``Cluster`` is imported on first use, so light entry points (``kubelearn
version``, the diagram renderer) do not load the whole engine; so is
``progress`` (``kubelearn.progress()``: how far a learner got, in every chapter).
"""
from kubelearn._version import KUBERNETES_VERSION, __version__

__all__ = ["Cluster", "progress", "__version__", "KUBERNETES_VERSION", "load_ipython_extension"]


def __getattr__(name):
    if name == "Cluster":
        from kubelearn.cluster import Cluster

        return Cluster
    if name == "progress":
        from kubelearn.grading import progress

        return progress
    raise AttributeError(f"module 'kubelearn' has no attribute {name!r}")


def load_ipython_extension(ipython):
    """``%load_ext kubelearn``: registers %kubectl and %%kubectl."""
    from kubelearn.magics import register

    register(ipython)
