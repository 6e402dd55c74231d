"""Cloud layers around a cluster: minikube's command line (``minikube``); the
simulated AWS account arrives with the EKS chapter."""
