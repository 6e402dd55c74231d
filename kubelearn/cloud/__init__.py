"""Cloud layers around a cluster: minikube's command line (``minikube``); the
simulated AWS account of the EKS chapter (``aws``) and the Kubernetes side of an
EKS cluster (``eks``)."""
