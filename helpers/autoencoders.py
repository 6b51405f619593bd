"""Autoencoders (自编码器) and the variational autoencoder (变分自编码器), built with Keras 3.

Taught in notebooks 03 and 04, where each piece is first written out by hand:

- ``build_autoencoder``: a dense encoder -> code -> decoder, returned as three models.
- ``build_linear_autoencoder``: no non-linearity at all; it learns PCA's subspace.
- ``add_noise``, ``reconstruction_error``: the denoising set-up and its measure.
- ``Sampling``: the reparameterisation trick, z = mean + exp(log_var / 2) * eps.
- ``vae_loss_terms``: reconstruction (binary cross-entropy, summed over pixels) and KL.
- ``VAE`` / ``build_vae``: a model whose ``train_step`` minimises reconstruction + beta * KL
  and reports both terms in the training history.

Import this module after :func:`helpers.setup` (it imports TensorFlow).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from helpers._validate import check_int


def _positive_int(value: Any, name: str) -> int:
    return check_int(value, name, 1)


def _hidden_sizes(hidden: Any) -> tuple[int, ...]:
    if isinstance(hidden, int | str) or not isinstance(hidden, Sequence):
        raise TypeError(f"hidden must be a sequence of layer sizes, such as (64,), got {hidden!r}")
    return tuple(_positive_int(h, f"hidden[{i}]") for i, h in enumerate(hidden))


def _mirrored_decoder(code_size: int, hidden: tuple[int, ...], output_dim: int,
                      activation: str | None, output_activation: str | None, *,
                      input_name: str, output_name: str, name: str) -> keras.Model:
    """The decoder half: the encoder's hidden layers in reverse order, then the output layer."""
    code_in = keras.Input((code_size,), name=input_name)
    h = code_in
    for i, units in enumerate(reversed(hidden)):
        h = layers.Dense(units, activation=activation, name=f"dec_{i}")(h)
    outputs = layers.Dense(output_dim, activation=output_activation, name=output_name)(h)
    return keras.Model(code_in, outputs, name=name)


def build_autoencoder(
    input_dim: int = 64,
    code_size: int = 8,
    hidden: Sequence[int] = (64,),
    *,
    activation: str | None = "relu",
    output_activation: str | None = "sigmoid",
    name: str = "autoencoder",
) -> tuple[keras.Model, keras.Model, keras.Model]:
    """A dense autoencoder: ``(autoencoder, encoder, decoder)``, not compiled (notebook 03).

    The encoder maps ``input_dim`` features through the ``hidden`` layers to a linear code of
    ``code_size`` numbers; the decoder mirrors it back. The autoencoder is the two chained,
    so all three share their weights.
    """
    input_dim = _positive_int(input_dim, "input_dim")
    code_size = _positive_int(code_size, "code_size")
    hidden = _hidden_sizes(hidden)

    inputs = keras.Input((input_dim,), name="pixels")
    h = inputs
    for i, units in enumerate(hidden):
        h = layers.Dense(units, activation=activation, name=f"enc_{i}")(h)
    code = layers.Dense(code_size, name="code")(h)
    encoder = keras.Model(inputs, code, name=f"{name}_encoder")

    decoder = _mirrored_decoder(code_size, hidden, input_dim, activation, output_activation,
                                input_name="code_in", output_name="reconstruction",
                                name=f"{name}_decoder")

    autoencoder = keras.Model(inputs, decoder(encoder(inputs)), name=name)
    return autoencoder, encoder, decoder


def build_linear_autoencoder(
    input_dim: int = 64, code_size: int = 8
) -> tuple[keras.Model, keras.Model, keras.Model]:
    """An autoencoder with no non-linearity and no hidden layer (notebook 03).

    Trained with mean squared error it finds the same subspace as PCA with ``code_size``
    components (the code's axes may be rotated and scaled).
    """
    return build_autoencoder(input_dim, code_size, (), activation=None, output_activation=None,
                             name="linear_autoencoder")


def _matrix(x: Any, name: str) -> np.ndarray:
    array = np.asarray(x, dtype="float32")
    if array.ndim != 2:
        raise ValueError(f"{name} must have shape (n, features), got rank {array.ndim}")
    return array


def add_noise(x: np.ndarray, std: float = 0.3, seed: int = 0) -> np.ndarray:
    """``x`` plus Gaussian noise of ``std``, clipped to [0, 1] (notebook 03, denoising)."""
    x = _matrix(x, "x")
    if isinstance(std, bool) or not isinstance(std, float | int) or std < 0:
        raise ValueError(f"std must be a number >= 0, got {std!r}")
    rng = np.random.default_rng(seed)
    return np.clip(x + rng.normal(0.0, std, x.shape), 0.0, 1.0).astype("float32")


def reconstruction_error(x: np.ndarray, x_hat: np.ndarray) -> float:
    """Mean squared error between images and their reconstructions (notebooks 03, 04)."""
    x, x_hat = _matrix(x, "x"), _matrix(x_hat, "x_hat")
    if x.shape != x_hat.shape:
        raise ValueError(f"x and x_hat must have the same shape, got {x.shape} and {x_hat.shape}")
    return float(np.mean((x - x_hat) ** 2))


class Sampling(layers.Layer):
    """The reparameterisation trick: z = mean + exp(log_var / 2) * eps, eps ~ N(0, I) (notebook 04).

    The randomness is in ``eps``, outside the path from the encoder's outputs to ``z``, so
    gradients flow to ``mean`` and ``log_var``.
    """

    def __init__(self, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs: Sequence[Any]) -> Any:
        z_mean, z_log_var = inputs
        eps = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * eps

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "seed": self.seed}


def vae_loss_terms(x: Any, x_hat: Any, z_mean: Any, z_log_var: Any) -> tuple[Any, Any]:
    """The two terms of the VAE loss, each averaged over the batch (notebook 04).

    Reconstruction: binary cross-entropy summed over the pixels. KL divergence of
    N(mean, exp(log_var)) from N(0, I): -1/2 * sum(1 + log_var - mean^2 - exp(log_var)).
    """
    if len(x.shape) != 2 or tuple(x.shape) != tuple(x_hat.shape):
        raise ValueError(f"x and x_hat must be (batch, features) of one shape, got "
                         f"{tuple(x.shape)} and {tuple(x_hat.shape)}")
    if len(z_mean.shape) != 2 or tuple(z_mean.shape) != tuple(z_log_var.shape):
        raise ValueError(f"z_mean and z_log_var must be (batch, latent) of one shape, got "
                         f"{tuple(z_mean.shape)} and {tuple(z_log_var.shape)}")
    x = ops.convert_to_tensor(x, dtype="float32")
    x_hat = ops.convert_to_tensor(x_hat, dtype="float32")
    z_mean = ops.convert_to_tensor(z_mean, dtype="float32")
    z_log_var = ops.convert_to_tensor(z_log_var, dtype="float32")
    reconstruction = ops.mean(ops.sum(ops.binary_crossentropy(x, x_hat), axis=1))
    kl = ops.mean(-0.5 * ops.sum(1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var),
                                 axis=1))
    return reconstruction, kl


class VAE(keras.Model):
    """Encoder (-> mean, log_var, z) and decoder trained on reconstruction + beta * KL (notebook 04).

    ``fit`` reports ``loss``, ``reconstruction`` and ``kl`` for each epoch (and ``val_``
    versions with validation data). Calling the model encodes, samples and decodes.
    """

    def __init__(self, encoder: keras.Model, decoder: keras.Model, beta: float = 1.0,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(beta, bool) or not isinstance(beta, float | int) or beta < 0:
            raise ValueError(f"beta must be a number >= 0, got {beta!r}")
        self.encoder = encoder
        self.decoder = decoder
        self.beta = float(beta)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
        self.kl_tracker = keras.metrics.Mean(name="kl")

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return [self.loss_tracker, self.reconstruction_tracker, self.kl_tracker]

    def call(self, x: Any, training: bool = False) -> Any:
        _, _, z = self.encoder(x, training=training)
        return self.decoder(z, training=training)

    def _terms(self, data: Any, training: bool) -> tuple[Any, Any, Any]:
        x = data[0] if isinstance(data, tuple) else data
        z_mean, z_log_var, z = self.encoder(x, training=training)
        x_hat = self.decoder(z, training=training)
        reconstruction, kl = vae_loss_terms(x, x_hat, z_mean, z_log_var)
        return reconstruction + self.beta * kl, reconstruction, kl

    def _report(self, loss: Any, reconstruction: Any, kl: Any) -> dict[str, Any]:
        self.loss_tracker.update_state(loss)
        self.reconstruction_tracker.update_state(reconstruction)
        self.kl_tracker.update_state(kl)
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, data: Any) -> dict[str, Any]:
        with tf.GradientTape() as tape:
            loss, reconstruction, kl = self._terms(data, training=True)
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights, strict=True))
        return self._report(loss, reconstruction, kl)

    def test_step(self, data: Any) -> dict[str, Any]:
        return self._report(*self._terms(data, training=False))


def build_vae(
    input_dim: int = 64,
    latent_dim: int = 2,
    hidden: Sequence[int] = (128,),
    *,
    beta: float = 1.0,
    seed: int | None = None,
) -> VAE:
    """A dense VAE with a ``latent_dim``-dimensional Gaussian code, not compiled (notebook 04).

    ``vae.encoder`` returns ``[z_mean, z_log_var, z]``; ``vae.decoder`` maps z to pixel
    probabilities in (0, 1). ``seed`` fixes the sampling noise.
    """
    input_dim = _positive_int(input_dim, "input_dim")
    latent_dim = _positive_int(latent_dim, "latent_dim")
    hidden = _hidden_sizes(hidden)

    inputs = keras.Input((input_dim,), name="pixels")
    h = inputs
    for i, units in enumerate(hidden):
        h = layers.Dense(units, activation="relu", name=f"enc_{i}")(h)
    z_mean = layers.Dense(latent_dim, name="z_mean")(h)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(h)
    z = Sampling(seed=seed, name="z")([z_mean, z_log_var])
    encoder = keras.Model(inputs, [z_mean, z_log_var, z], name="vae_encoder")

    decoder = _mirrored_decoder(latent_dim, hidden, input_dim, "relu", "sigmoid",
                                input_name="z_in", output_name="pixel_probabilities",
                                name="vae_decoder")
    return VAE(encoder, decoder, beta=beta, name="vae")
