"""Version numbers, kept in one place (pyproject.toml reads __version__)."""

__version__ = "0.1.0"

#: The Kubernetes (and kubectl) minor version the simulator behaves like.
KUBERNETES_VERSION = "v1.32"
