"""Pydantic models of the API kinds, one module per API group, and strict decoding.

``decode(info, body)`` is the entry point the API server uses; the model
classes (``core.Pod``, ``apps.Deployment``, ...) are there for typed views and
for anyone who wants the shape of a kind in code.
"""
from kubelearn.api.models.decode import MODELS, decode, decode_error_message

__all__ = ["MODELS", "decode", "decode_error_message"]
