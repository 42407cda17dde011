"""Helpers the tests share: settings, forms, factories, quiz answers and the served app.

Import them as ``from helpers.forms import post_form``; fixtures stay in ``conftest.py``.
"""
