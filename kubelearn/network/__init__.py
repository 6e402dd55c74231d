"""Networking: service IP and node-port allocation (more arrives with chapter 4)."""
