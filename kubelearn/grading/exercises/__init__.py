"""The course's exercises, one module per chapter (``ch01.py``, ``ch02.py``, ...).

Each module defines ``EXERCISES``, a list of ``kubelearn.grading.model.Exercise``;
``kubelearn.grading.registry`` imports every module here in name order.
"""
