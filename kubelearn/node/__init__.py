"""What runs on a node: the kubelet, its container runtime, and the image registry it pulls from."""
