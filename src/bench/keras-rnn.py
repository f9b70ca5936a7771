"""Keras side of `npm run bench -- rnn`: trains the benchmark's Keras models on request.

Started by src/bench/_keras-side.ts with a Python that has Keras 3 and TensorFlow. Protocol:
one JSON request per stdin line, one JSON answer per stdout line.

  {"op": "hello"}
      -> {"ok": true, "keras": "3.x", "tensorflow": "2.x"}
  {"op": "load", "name": "synthetic", "x": "<file>", "x_shape": [N, T, F], "x_dtype": "float32",
   "y": "<file>"}
      -> {"ok": true}          (raw little-endian arrays written by the TypeScript side)
  {"op": "fit", "data": "synthetic", "cell": "lstm", "units": 32, "embedding": null | [10000, 32],
   "batch_size": 64, "epochs": 3}
      -> {"ok": true, "epoch_seconds": [..], "epoch_cpu_seconds": [..]}   (wall; CPU of all threads)
  {"op": "fit_variant", "data": "imdbPost", "variant": "masking", "cell": "lstm", "batch_size": 64,
   "epochs": 3, "units": 32, "words": 10000, "chars": 60, "embedding_dim": 32}
      -> the same as "fit", for `npm run bench -- rnn-variants` (see build_variant)

"load" may give "y_shape" (default [N, 1]).

The "fit" model is the one the TypeScript side builds: Input -> [Embedding] -> cell(units) ->
Dense(1, sigmoid), Adam(1e-3), binary cross-entropy, Keras' defaults everywhere else (GRU
reset_after=True). A fresh model per "fit", so epoch 1 includes tracing and warm-up.
"""
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

DATA = {}
CELLS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU, "simpleRNN": keras.layers.SimpleRNN}


class EpochTimer(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seconds = []
        self.cpu_seconds = []
        self._start = 0.0
        self._cpu_start = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()
        self._cpu_start = time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)
        self.cpu_seconds.append(time.process_time() - self._cpu_start)


def load(req):
    x = np.fromfile(req["x"], dtype=req["x_dtype"]).reshape(req["x_shape"])
    y = np.fromfile(req["y"], dtype="float32").reshape(req.get("y_shape") or (-1, 1))
    DATA[req["name"]] = (x, y)
    return {"ok": True}


def train(model, x, y, req):
    timer = EpochTimer()
    model.fit(x, y, batch_size=req["batch_size"], epochs=req["epochs"], verbose=0, callbacks=[timer])
    return {"ok": True, "epoch_seconds": timer.seconds, "epoch_cpu_seconds": timer.cpu_seconds}


def recurrent(req, reset_after, return_sequences=False):
    cell = CELLS[req["cell"]]
    if req["cell"] == "gru":
        return cell(req["units"], return_sequences=return_sequences, reset_after=reset_after)
    return cell(req["units"], return_sequences=return_sequences)


def build_variant(req, x):
    """The models of src/bench/_variant-models.ts, with Keras' defaults elsewhere.

    The variants use GRU reset_after=True (Keras' default); the builders' models use
    reset_after=False, the form seqlab's builders build.
    """
    v = req["variant"]
    steps = x.shape[1]
    words = lambda mask: keras.layers.Embedding(req["words"], req["embedding_dim"], mask_zero=mask)  # noqa: E731
    if v in ("masking", "stacked", "bidirectional", "classifier"):
        inputs = keras.Input(shape=(steps,), dtype="int32")
        h = words(v == "masking")(inputs)
        if v == "stacked":
            h = recurrent(req, True, return_sequences=True)(h)
            h = recurrent(req, True)(h)
        elif v == "bidirectional":
            h = keras.layers.Bidirectional(recurrent(req, True), merge_mode="concat")(h)
        else:
            h = recurrent(req, v != "classifier")(h)
        outputs = keras.layers.Dense(1, activation="sigmoid")(h)
        loss, metrics = "binary_crossentropy", (["accuracy"] if v == "classifier" else [])
    elif v in ("returnSequences", "charModel"):
        inputs = keras.Input(shape=(steps,), dtype="int32")
        every = v == "returnSequences"
        dim = req["embedding_dim"] if every else 64  # buildCharLanguageModel's default embeddingDim
        h = keras.layers.Embedding(req["chars"], dim)(inputs)
        h = recurrent(req, every, return_sequences=every)(h)
        outputs = keras.layers.Dense(req["chars"], activation="softmax")(h)
        loss, metrics = "sparse_categorical_crossentropy", ([] if every else ["accuracy"])
    elif v == "forecaster":
        inputs = keras.Input(shape=x.shape[1:], dtype="float32")
        h = recurrent(req, False)(inputs)
        outputs = keras.layers.Dense(1)(h)
        loss, metrics = "mse", ["mae"]
    else:
        raise ValueError("unknown variant " + str(v))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss, metrics=metrics)
    return model


def fit_variant(req):
    x, y = DATA[req["data"]]
    return train(build_variant(req, x), x, y, req)


def fit(req):
    x, y = DATA[req["data"]]
    inputs = keras.Input(shape=x.shape[1:], dtype="int32" if req["embedding"] else "float32")
    h = inputs
    if req["embedding"]:
        h = keras.layers.Embedding(req["embedding"][0], req["embedding"][1])(h)
    h = CELLS[req["cell"]](req["units"])(h)
    outputs = keras.layers.Dense(1, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
    return train(model, x, y, req)


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            if req["op"] == "hello":
                out = {"ok": True, "keras": keras.__version__, "tensorflow": tf.__version__}
            elif req["op"] == "load":
                out = load(req)
            elif req["op"] == "fit":
                out = fit(req)
            elif req["op"] == "fit_variant":
                out = fit_variant(req)
            else:
                out = {"ok": False, "error": "unknown op " + str(req["op"])}
        except Exception as err:  # reported to the TypeScript side, which prints it
            out = {"ok": False, "error": "%s: %s" % (type(err).__name__, err)}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
