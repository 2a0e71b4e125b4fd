"""Benchmarks: minidl against torch.nn + torch.optim + autograd (``python -m bench``).

Speed lives here and only here: the test suite never times anything.
"""
