"""The machine's services that some tests use when they answer."""

import socket

import pytest


def answers(host, port):
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(
    not answers("127.0.0.1", 6379), reason="no Redis on 127.0.0.1:6379"
)
