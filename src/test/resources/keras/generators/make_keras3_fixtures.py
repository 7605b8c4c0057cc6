#!/usr/bin/env python3
"""Writes the Keras 3 native-format fixtures under ../generated-keras3/ with numpy and h5py only.

Each fixture is a model saved the way Keras 3's saving_lib saves it (read from keras/src/saving/saving_lib.py;
Keras itself is not installed): a `.keras` ZIP archive (metadata.json, config.json, model.weights.h5), a
`.weights.h5` from save_weights() with the architecture of model.to_json() beside it, or a sharded
`.weights.json` index over several `_NNNNN.weights.h5` shards. Weights are stored by position, not by layer name:
each container numbers its layers by snake-cased class (`layers/conv2d`, `layers/conv2d_1`,
`layers/functional/layers/dense`), and each layer numbers its variables (`vars/0`, `vars/1`: trainable ones first).
The layers are given misleading names (`dense_7` for the first Dense) so that a reader going by names fails.
The expected outputs are computed in float64 by the numpy loops of make_fixtures.py.

    /usr/bin/python3 make_keras3_fixtures.py          # from this directory
"""
import json
import os
import re
import shutil
import zipfile

import h5py
import numpy as np

import make_fixtures as mf
from make_fixtures import Input, Layer, Model, rand

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "generated-keras3")
VERSION = "3.8.0"
INDEX = []


def snake(name):
    """keras.src.utils.naming.to_snake_case."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base, used):
    """saving_lib's _get_unique_name: the first of a class in a container plain, then _1, _2 ..."""
    if base in used:
        used[base] += 1
        return f"{base}_{used[base]}"
    used[base] = 0
    return base


def saveables(model):
    """Sequential.layers leaves its InputLayer out; Functional.layers keeps every layer."""
    return [l for l in model.layers if not (model.sequential and l.cls == "InputLayer")]


def store_entries(model, prefix=""):
    """(group path, layer name, [arrays]) for the model and each layer, as _save_state walks them."""
    entries = [((prefix + "/" if prefix else "") + "vars", model.name, [])]
    used = {}
    for layer in saveables(model):
        name = unique_name(snake(model_cls(layer) if isinstance(layer, Model) else layer.cls), used)
        path = (prefix + "/" if prefix else "") + "layers/" + name
        if isinstance(layer, Model):
            entries += store_entries(layer, path)
        else:
            entries.append((path + "/vars", layer.name, [w for _, w in layer.weights]))
    return entries


def model_cls(model):
    return "Sequential" if model.sequential else "Functional"


def config_of(model):
    cfg = mf.model_config(model, "keras_3")
    if not model.sequential:
        # Functional.get_config: a nested Functional's node is numbered from 1 in input_layers/output_layers
        # (its construction node counts), while keras_history in inbound_nodes skips it
        def bump(ref):
            layer = next(l for l in model.layers if l.name == ref[0])
            return [ref[0], ref[1] + 1, ref[2]] if isinstance(layer, Model) and not layer.sequential else ref
        for key in ("input_layers", "output_layers"):
            refs = cfg[key]
            cfg[key] = bump(refs) if isinstance(refs[0], str) else [bump(r) for r in refs]
    top = {"module": "keras" if model.sequential else "keras.src.models.functional", "class_name": model_cls(model),
           "config": cfg, "registered_name": None if model.sequential else "Functional",
           "build_config": {"input_shape": model.shape_in if model.sequential else None}, "compile_config": {}}
    return top


def write_h5(path, entries):
    with h5py.File(path, "w") as f:
        for group, name, arrays in entries:
            g = f.create_group(group)
            g.attrs["name"] = name
            for i, a in enumerate(arrays):
                g.create_dataset(str(i), data=a)


def write_sharded(base, entries, max_bytes):
    """ShardedH5IOStore (Keras 3.11+): a new shard when the next variable would pass the size limit; a group
    split over shards is listed with each of them."""
    shards, weight_map, total = [], {}, 0
    current, size = None, 0

    def new_shard():
        nonlocal current, size
        if current is not None:
            current.close()
        shards.append(f"{base}_{len(shards):05}.weights.h5")
        current = h5py.File(os.path.join(OUT, shards[-1]), "w")
        size = 0
    new_shard()
    for group, name, arrays in entries:
        g = current.create_group(group)
        g.attrs["name"] = name
        for i, a in enumerate(arrays):
            if size + a.nbytes > max_bytes and size > 0:
                new_shard()
                g = current.require_group(group)
            g.create_dataset(str(i), data=a)
            size += a.nbytes
            total += a.nbytes
            key = "/" + group
            where = weight_map.get(key)
            if where is None:
                weight_map[key] = shards[-1]
            elif isinstance(where, str) and where != shards[-1]:
                weight_map[key] = [where, shards[-1]]
            elif isinstance(where, list) and where[-1] != shards[-1]:
                where.append(shards[-1])
    current.close()
    with open(os.path.join(OUT, base + ".weights.json"), "w") as f:
        json.dump({"metadata": {"total_size": float(total)}, "weight_map": weight_map}, f, indent=4)
    return shards


def save(model, name, xs, form="archive", notes=""):
    entries = store_entries(model)
    config = config_of(model)
    files = {}
    if form == "archive":
        h5 = os.path.join(OUT, name + ".tmp.h5")
        write_h5(h5, entries)
        path = os.path.join(OUT, name + ".keras")
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("metadata.json", json.dumps({"keras_version": VERSION, "date_saved": "2026-12-05@23:00:00"}))
            z.writestr("config.json", json.dumps(config))
            z.write(h5, "model.weights.h5")
        os.remove(h5)
        files["model"] = name + ".keras"
    else:
        with open(os.path.join(OUT, name + ".arch.json"), "w") as f:
            json.dump(config, f)
        files["arch"] = name + ".arch.json"
        if form == "weights":
            write_h5(os.path.join(OUT, name + ".weights.h5"), entries)
            files["model"] = name + ".weights.h5"
        else:
            files["shards"] = write_sharded(name, entries, max_bytes=200)
            files["model"] = name + ".weights.json"
    y = model.run([x.astype(np.float64) for x in xs])
    np.save(os.path.join(OUT, name + ".input.npy"), xs[0].astype(np.float32))
    np.save(os.path.join(OUT, name + ".expected.npy"), y.astype(np.float64))
    INDEX.append({"name": name, "form": form, **files, "storePaths": [e[0] for e in entries if e[2]],
                  "notes": notes})


# ---------------------------------------------------------------- layers not in make_fixtures.py

def named(layer, name):
    layer.name = name
    return layer


def batchnorm_no_center(c, name, eps=1e-3):
    g, m, v = rand(c) + 1, rand(c), np.abs(rand(c)) + 0.5
    return Layer("BatchNormalization", name, {"axis": -1, "momentum": 0.99, "epsilon": eps, "center": False,
                                              "scale": True},
                 [("gamma", g), ("moving_mean", m), ("moving_variance", v)],
                 lambda x: (x - m) / np.sqrt(v.astype(np.float64) + eps) * g)


def depthwise(cin, name):
    k = rand(3, 3, cin, 1)
    b = rand(cin)
    return Layer("DepthwiseConv2D", name, {"kernel_size": [3, 3], "strides": [1, 1], "padding": "same",
                                           "depth_multiplier": 1, "data_format": "channels_last",
                                           "dilation_rate": [1, 1], "activation": "linear", "use_bias": True},
                 [("kernel", k), ("bias", b)], lambda x: mf.depthwise(x, k, (1, 1), "same") + b)


def aspect_window(x, h, w):
    """smart_resize's crop: the largest centred window with the aspect ratio of h x w (float32 division)."""
    H, W = x.shape[1], x.shape[2]
    ch = max(min(H, int(np.float32(W * h) / np.float32(w))), 1)
    cw = max(min(W, int(np.float32(H * w) / np.float32(h))), 1)
    t, l = int((H - ch) / 2), int((W - cw) / 2)
    return x[:, t:t + ch, l:l + cw, :]


def center_crop(h, w, name):
    """keras.layers.CenterCrop: the centred window, or smart_resize when the input is smaller."""
    def fwd(x):
        H, W = x.shape[1], x.shape[2]
        if H >= h and W >= w:
            t, l = (H - h) // 2, (W - w) // 2
            return x[:, t:t + h, l:l + w, :]
        return mf.resize(aspect_window(x, h, w), h, w, "bilinear")
    return Layer("CenterCrop", name, {"height": h, "width": w, "data_format": "channels_last"}, [], fwd,
                 lambda s: [None, h, w, s[0][3]])


def identity(cls, name, config):
    return Layer(cls, name, config, [], lambda x: x)


# ---------------------------------------------------------------- the fixtures

def functional_nested(name, form):
    """Functional: rescaling, two convolutions joined by Add, a nested Functional (depthwise convolution, batch
    normalisation without centre, pooling), two Dense layers; stored as layers/conv2d, layers/conv2d_1,
    layers/functional/layers/depthwise_conv2d ..., layers/dense, layers/dense_1."""
    t = Input([6, 6, 2], "image")
    x = named(mf.simple("Rescaling", "rescaling", {"scale": 0.5, "offset": -0.25}, lambda v: v * 0.5 - 0.25),
              "scale_it")(t)
    a = named(mf.conv(3, (3, 3), 2, padding="same", act="relu", major=3), "conv2d_9")(x)
    b = named(mf.conv(3, (3, 3), 3, padding="same", major=3), "conv2d_4")(a)
    s = named(mf.merge("Add", lambda p, q: p + q), "join")([a, b])
    it = Input([6, 6, 3], "inner_image")
    y = named(depthwise(3, "dw_5"), "dw_5")(it)
    y = batchnorm_no_center(3, "bn_3")(y)
    y = named(mf.simple("GlobalAveragePooling2D", "gap", {"data_format": "channels_last", "keepdims": False},
                        lambda v: v.mean(axis=(1, 2)), lambda sh: [None, 3]), "gap_2")(y)
    inner = Model([it], [y], "features")
    z = inner(s)
    z = named(mf.dense(4, "relu", inp=3, major=3), "dense_7")(z)
    z = named(mf.dense(2, "softmax", inp=4, major=3), "dense_3")(z)
    save(Model([t], [z], "classifier"), name, [rand(3, 6, 6, 2, scale=1.0)], form=form,
         notes="Functional with a skip connection and a nested Functional; layer names unlike the stored ones")


def sequential_augment():
    """Sequential: augmentation layers (identity at inference), per-channel Rescaling, CenterCrop, a nested
    Sequential with its own conv2d and batch_normalization, Flatten, Dense with one sigmoid unit."""
    layers = [identity("RandomFlip", "flip", {"mode": "horizontal", "seed": None}),
              identity("RandomRotation", "rotate", {"factor": 0.1, "fill_mode": "reflect"}),
              identity("RandomZoom", "zoom", {"height_factor": 0.2, "width_factor": None}),
              identity("RandomContrast", "contrast", {"factor": 0.2}),
              identity("RandomTranslation", "shift", {"height_factor": 0.1, "width_factor": 0.1}),
              mf.simple("Rescaling", "rescaling", {"scale": [0.5, 0.25, 1.0], "offset": [0.0, -0.5, 0.1]},
                        lambda v: v * np.array([0.5, 0.25, 1.0]) + np.array([0.0, -0.5, 0.1])),
              center_crop(6, 5, "crop"),
              named(mf.conv(4, (3, 3), 3, padding="valid", act="relu", major=3), "conv2d_2")]
    inner_in = Input([4, 3, 4], "inner_in")
    c = named(mf.conv(2, (1, 1), 4, major=3), "conv2d_8")(inner_in)
    c = mf.batchnorm(2, name="bn_inner")(c)
    c = mf.simple("ReLU", "relu", {"max_value": None, "negative_slope": 0.0, "threshold": 0.0},
                  lambda v: np.maximum(v, 0))(c)
    block = Model([inner_in], [c], "block", sequential=True)
    flat = mf.simple("Flatten", "flatten", {"data_format": "channels_last"}, lambda v: v.reshape(v.shape[0], -1),
                     lambda s: [None, 24])
    t = Input([9, 8, 3], "photo")
    x = t
    for l in layers:
        x = l(x)
    x = block(x)
    x = flat(x)
    x = named(mf.dense(1, "sigmoid", inp=24, major=3), "dense_1")(x)
    save(Model([t], [x], "sequential_augment", sequential=True), "keras3_sequential_augment",
         [rand(2, 9, 8, 3, scale=1.0)], notes="augmentation, CenterCrop, per-channel Rescaling, nested Sequential")


def center_crop_smaller():
    """CenterCrop larger than the input in height: Keras resizes the largest window of the target's aspect
    ratio instead; Resizing with crop_to_aspect_ratio does the same explicitly."""
    t = Input([5, 7, 2], "small")
    x = center_crop(6, 4, "crop_up")(t)
    x = mf.simple("Resizing", "resizing", {"height": 3, "width": 5, "interpolation": "bilinear",
                                           "crop_to_aspect_ratio": True},
                  lambda v: mf.resize(aspect_window(v, 3, 5), 3, 5, "bilinear"),
                  lambda s: [None, 3, 5, 2])(x)
    save(Model([t], [x], "crop_model", sequential=True), "keras3_center_crop_smaller", [rand(2, 5, 7, 2, scale=1.0)],
         notes="CenterCrop on a smaller input (smart_resize), Resizing with crop_to_aspect_ratio")


def ends_in_nested():
    """A Functional whose output is a nested Functional's: Keras numbers that node 1 in output_layers."""
    t = Input([5], "features")
    x = named(mf.dense(4, "tanh", inp=5, major=3), "dense_2")(t)
    hi = Input([4], "head_in")
    head = Model([hi], [named(mf.dense(3, "softmax", inp=4, major=3), "dense_0")(hi)], "head")
    save(Model([t], [head(x)], "tabular"), "keras3_ends_in_nested", [rand(4, 5, scale=1.0)],
         notes="the model's output is a nested Functional's (output_layers [head, 1, 0])")


if __name__ == "__main__":
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    functional_nested("keras3_functional_nested", "archive")
    sequential_augment()
    center_crop_smaller()
    ends_in_nested()
    functional_nested("keras3_weights_only", "weights")
    functional_nested("keras3_sharded", "sharded")
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(INDEX, f, indent=1)
    print(len(INDEX), "fixtures in", os.path.normpath(OUT))
