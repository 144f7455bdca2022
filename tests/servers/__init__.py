"""Loopback servers (Kubernetes API, Jira, GitHub) that tests start on 127.0.0.1."""
