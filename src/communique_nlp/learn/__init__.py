"""Learned components: the decisions hand-set rules did not transfer to new sources.

Each decision (block roles and the title, commitments, core themes, people, the date, the
document kind) has one feature module here, with the rules' verdicts among its features;
``linear.py`` is the learner and its portable model format; ``store.py`` loads a model file
lazily; ``train.py`` rebuilds every model from labelled documents (the recipe behind
``make models``).
"""
