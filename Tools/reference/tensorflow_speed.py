"""The reference tutorial's Gatys step in TensorFlow/Keras, timed on the workload `impasto bench
stylize` times, so that the README can compare the two on the same machine in the same hour.

Run from the repository root with TensorFlow's CPU build installed:
    pip install tensorflow-cpu
    python3 Tools/reference/tensorflow_speed.py

The step is the tutorial's `train_step`, compiled with `tf.function` as the tutorial does: Keras'
VGG19 ("notop") up to block5_conv2 on a 1×300×451×3 image after `preprocess_input`, Grams of
block1_conv1 … block5_conv1 divided by the number of positions, the weighted content and style
losses plus total variation, the gradient with respect to the image, Keras' Adam update
(lr 0.02, β1 0.99, ε 0.1) and the clip to [0, 1]. Weights are random (speed does not depend on
them). Threads: as many as the machine's cores, as Impasto uses. The figure is the median of
20 steps after 2 warm-up steps.
"""
import os
import statistics
import time

import tensorflow as tf

CONTENT_LAYERS = ["block5_conv2"]
STYLE_LAYERS = ["block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1"]
HEIGHT, WIDTH = 300, 451
STYLE_HEIGHT, STYLE_WIDTH = 320, 512


def feature_extractor():
    vgg = tf.keras.applications.VGG19(include_top=False, weights=None)
    vgg.trainable = False
    outputs = [vgg.get_layer(name).output for name in STYLE_LAYERS + CONTENT_LAYERS]
    return tf.keras.Model(vgg.input, outputs)


def gram(features):
    product = tf.linalg.einsum("bijc,bijd->bcd", features, features)
    positions = tf.cast(tf.shape(features)[1] * tf.shape(features)[2], tf.float32)
    return product / positions


def split(model, image):
    outputs = model(tf.keras.applications.vgg19.preprocess_input(image * 255.0))
    return [gram(x) for x in outputs[:len(STYLE_LAYERS)]], outputs[len(STYLE_LAYERS):]


def main():
    threads = os.cpu_count()
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    model = feature_extractor()
    content = tf.random.uniform((1, HEIGHT, WIDTH, 3), seed=1)
    style = tf.random.uniform((1, STYLE_HEIGHT, STYLE_WIDTH, 3), seed=2)
    style_targets, _ = split(model, style)
    _, content_targets = split(model, content)
    image = tf.Variable(content)
    optimizer = tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            grams, contents = split(model, image)
            style_loss = tf.add_n([tf.reduce_mean((g - t) ** 2) for g, t in zip(grams, style_targets)])
            content_loss = tf.add_n([tf.reduce_mean((c - t) ** 2) for c, t in zip(contents, content_targets)])
            loss = 1e-2 * style_loss / len(STYLE_LAYERS) + 1e4 * content_loss / len(CONTENT_LAYERS)
            loss += 4e-4 * tf.image.total_variation(image)
        gradient = tape.gradient(loss, image)
        optimizer.apply_gradients([(gradient, image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))

    times = []
    for index in range(22):
        started = time.perf_counter()
        step()
        if index >= 2:
            times.append(time.perf_counter() - started)
    print(f"TensorFlow {tf.__version__}, {threads} threads")
    print(f"tutorial Gatys step {HEIGHT}x{WIDTH}: median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}) over {len(times)} steps")


if __name__ == "__main__":
    main()
