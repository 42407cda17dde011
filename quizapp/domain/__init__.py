"""Plain-Python core of Civics Quiz: question sets, text matching and grading.

Nothing in this package imports Flask, SQLAlchemy or any other part of the app, so it can be
tested, reused and reasoned about on its own.
"""
