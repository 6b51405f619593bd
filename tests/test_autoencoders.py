"""helpers.autoencoders: builders, noise, errors, the sampling layer and the VAE (tiny models)."""

import keras
import numpy as np
import pytest

from helpers import autoencoders


def test_build_autoencoder_shapes_and_shared_weights():
    model, encoder, decoder = autoencoders.build_autoencoder(12, 3, hidden=(5,))
    x = np.random.default_rng(0).random((4, 12)).astype("float32")
    codes = encoder.predict(x, verbose=0)
    assert codes.shape == (4, 3)
    out = model.predict(x, verbose=0)
    assert out.shape == (4, 12) and out.min() >= 0 and out.max() <= 1
    np.testing.assert_allclose(out, decoder.predict(codes, verbose=0), rtol=1e-5, atol=1e-6)
    assert encoder.count_params() == 12 * 5 + 5 + 5 * 3 + 3


def test_build_linear_autoencoder_has_no_hidden_layer_and_no_squashing():
    model, encoder, decoder = autoencoders.build_linear_autoencoder(6, 2)
    assert encoder.count_params() == 6 * 2 + 2 and decoder.count_params() == 2 * 6 + 6
    assert model.predict(np.full((1, 6), 50.0, "float32"), verbose=0).max() > 1


def test_a_dense_autoencoder_learns():
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).random((64, 8)).astype("float32")
    model, _, _ = autoencoders.build_autoencoder(8, 8, hidden=(16,))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    history = model.fit(x, x, epochs=15, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


@pytest.mark.parametrize("kwargs, error, match", [
    ({"code_size": 0}, ValueError, "code_size must be >= 1"),
    ({"code_size": 2.5}, TypeError, "code_size must be an int"),
    ({"input_dim": True}, TypeError, "input_dim must be an int"),
    ({"hidden": 16}, TypeError, "hidden must be a sequence"),
    ({"hidden": (16, 0)}, ValueError, r"hidden\[1\] must be >= 1"),
])
def test_build_autoencoder_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        autoencoders.build_autoencoder(**kwargs)


def test_build_linear_autoencoder_rejects_bad_code_size():
    with pytest.raises(ValueError, match="code_size must be >= 1"):
        autoencoders.build_linear_autoencoder(8, 0)


def test_add_noise_is_clipped_repeatable_and_zero_noise_is_identity():
    x = np.random.default_rng(1).random((5, 4)).astype("float32")
    noisy = autoencoders.add_noise(x, std=0.5, seed=3)
    assert noisy.shape == x.shape and noisy.dtype == np.float32
    assert noisy.min() >= 0 and noisy.max() <= 1 and not np.allclose(noisy, x)
    np.testing.assert_array_equal(noisy, autoencoders.add_noise(x, std=0.5, seed=3))
    np.testing.assert_array_equal(autoencoders.add_noise(x, std=0.0), x)


@pytest.mark.parametrize("x, std, match", [
    (np.zeros(4), 0.1, "x must have shape \\(n, features\\), got rank 1"),
    (np.zeros((2, 4)), -0.1, "std must be a number >= 0"),
    (np.zeros((2, 4)), "big", "std must be a number >= 0"),
])
def test_add_noise_rejects_bad_input(x, std, match):
    with pytest.raises(ValueError, match=match):
        autoencoders.add_noise(x, std=std)


def test_reconstruction_error_is_the_mean_squared_error():
    assert autoencoders.reconstruction_error([[0.0, 1.0]], [[0.5, 1.0]]) == pytest.approx(0.125)


@pytest.mark.parametrize("x, x_hat, match", [
    (np.zeros((3, 4)), np.zeros((2, 4)), "same shape"),
    (np.zeros((3, 4, 1)), np.zeros((3, 4, 1)), "x must have shape .* got rank 3"),
    (np.zeros((3, 4)), np.zeros(12), "x_hat must have shape .* got rank 1"),
])
def test_reconstruction_error_rejects_bad_input(x, x_hat, match):
    with pytest.raises(ValueError, match=match):
        autoencoders.reconstruction_error(x, x_hat)


def test_sampling_has_the_requested_mean_and_spread():
    mean = np.tile([[2.0, -1.0]], (5000, 1)).astype("float32")
    log_var = np.tile(np.log([[1.0, 0.04]]), (5000, 1)).astype("float32")
    z = keras.ops.convert_to_numpy(autoencoders.Sampling(seed=0)([mean, log_var]))
    np.testing.assert_allclose(z.mean(axis=0), [2.0, -1.0], atol=0.05)
    np.testing.assert_allclose(z.std(axis=0), [1.0, 0.2], atol=0.05)
    assert autoencoders.Sampling(seed=4).get_config()["seed"] == 4


def test_vae_loss_terms_by_hand():
    x = np.array([[1.0, 0.0]], "float32")
    x_hat = np.array([[0.5, 0.5]], "float32")
    reconstruction, kl = autoencoders.vae_loss_terms(x, x_hat, np.array([[1.0]]),
                                                     np.array([[0.0]]))
    assert float(reconstruction) == pytest.approx(2 * np.log(2), rel=1e-5)
    assert float(kl) == pytest.approx(0.5, rel=1e-6)


@pytest.mark.parametrize("shapes, match", [
    (((2, 4), (3, 4), (2, 1), (2, 1)), "x and x_hat must be"),
    (((2, 4), (2, 4), (2, 1), (2, 2)), "z_mean and z_log_var must be"),
    (((8,), (8,), (2, 1), (2, 1)), "x and x_hat must be"),
])
def test_vae_loss_terms_rejects_mismatched_shapes(shapes, match):
    arrays = [np.zeros(s, "float32") for s in shapes]
    with pytest.raises(ValueError, match=match):
        autoencoders.vae_loss_terms(*arrays)


def test_build_vae_trains_and_reports_both_terms():
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).random((32, 6)).astype("float32")
    vae = autoencoders.build_vae(6, latent_dim=2, hidden=(8,), beta=0.5, seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(1e-2))
    history = vae.fit(x, epochs=3, batch_size=16, verbose=0, validation_data=(x,))
    assert {"loss", "reconstruction", "kl", "val_loss", "val_kl"} <= set(history.history)
    h = history.history
    assert h["loss"][-1] == pytest.approx(h["reconstruction"][-1] + 0.5 * h["kl"][-1], rel=1e-4)
    z_mean, z_log_var, z = vae.encoder.predict(x, verbose=0)
    assert z_mean.shape == z_log_var.shape == z.shape == (32, 2)
    assert vae.decoder.predict(z, verbose=0).shape == (32, 6)
    assert vae.predict(x, verbose=0).shape == (32, 6)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"latent_dim": 0}, ValueError, "latent_dim must be >= 1"),
    ({"beta": -1.0}, ValueError, "beta must be a number >= 0"),
    ({"hidden": "64"}, TypeError, "hidden must be a sequence"),
])
def test_build_vae_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        autoencoders.build_vae(**kwargs)
