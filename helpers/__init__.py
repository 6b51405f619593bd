"""helpers: the small package behind the encoder–decoder course (编码-解码结构).

Importing ``helpers`` does not import TensorFlow, so that :func:`helpers.setup` can quiet
TensorFlow's start-up logging before the first import. Import the modules you need
explicitly::

    import helpers
    helpers.setup(seed=42)            # seeds, determinism, quiet logs, plot style
    from helpers import text, plots   # then the tools

Modules: ``repro`` (setup), ``text`` (vocabularies, padding, training triplets),
``plots`` (training history, image grids), ``checks`` (exercise self-checks),
``datasets`` (loaders for the data the course ships or installs), ``dates`` (the date
corpus), ``models``, ``decoding`` and ``metrics`` (the seq2seq of notebook 05),
``autoencoders`` and ``latent`` (notebooks 02 and 03), ``paths``.
"""

from helpers.repro import setup

__all__ = ["setup"]
__version__ = "0.1.0"
