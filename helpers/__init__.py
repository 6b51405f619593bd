"""helpers: the small package behind the encoder–decoder course (编码-解码结构).

Importing ``helpers`` does not import TensorFlow, so that :func:`helpers.setup` can quiet
TensorFlow's start-up logging before the first import. Import the modules you need
explicitly::

    import helpers
    helpers.setup(seed=42)            # seeds, determinism, quiet logs, plot style
    from helpers import text, plots   # then the tools

Modules: ``repro`` (setup), ``text`` (vocabularies, padding, training triplets),
``plots`` (training history, image grids), ``checks`` (exercise self-checks),
``datasets`` (loaders for the data the course ships or installs, and for corpora you
bring), ``dates`` (the date corpus), ``models``, ``decoding`` and ``metrics`` (the seq2seq
of notebook 06; temperature sampling, beam search, BLEU, chrF and distinct-n of notebook
07), ``autoencoders`` and ``latent`` (notebooks 03 and 04), ``chat`` (the chatbot of
notebook 07: ``chat()``, a JupyterLab ``ChatBox``, ``python -m helpers.chat``),
``bucketing`` (bucket boundaries, the padding fraction and the tf.data pipelines of notebook
08), ``attention`` (notebook 09), ``tatoeba`` and ``translate`` (the English–Chinese corpus
and the translator of notebook 10), ``transformer`` (the Transformer's layers and step
model, notebooks 11 and 12), ``scan`` (the SCAN benchmark generated from its grammar,
notebook 13), ``paths``.
"""

from helpers.repro import setup

__all__ = ["setup"]
__version__ = "0.1.0"
