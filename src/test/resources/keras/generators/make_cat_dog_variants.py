#!/usr/bin/env python3
"""Writes ../generated-keras3/cats_vs_dogs_{sigmoid,logits,bgr}.keras: the shipped models/cats_vs_dogs.h5 (the real
Teachable Machine MobileNetV2 with the head trained by `train-image`) saved again the way Keras 3 saves a model, in
three forms people's models have, each of which must give every photo the shipped model's probabilities:
- sigmoid: the two-unit softmax head turned into one sigmoid unit; softmax([z_cat, z_dog])[dog] = sigmoid(z_dog -
  z_cat), so the unit's kernel is W[:, dog] - W[:, cat] and its bias b[dog] - b[cat];
- logits: the head without its softmax (raw scores), which the app turns into probabilities;
- bgr: the first convolution's kernel with its input channels reversed, a model that takes BGR photos. The architecture is
rewritten in Keras 3's form (module / registered_name keys, `{"args", "kwargs"}` inbound nodes with
`__keras_tensor__` histories, a nested Functional's node numbered from 1 in output_layers) and the weights laid out
by position as saving_lib does (see make_keras3_fixtures.py).

    /usr/bin/python3 make_cat_dog_variants.py          # from this directory
"""
import json
import os
import zipfile

import h5py
import numpy as np

from make_keras3_fixtures import snake, unique_name

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "..", "..", "..", "..", "models", "cats_vs_dogs.h5")
MODELS = ("Sequential", "Functional", "Model")
# the order Keras 3 creates each layer's variables in (trainable first)
VARIABLE_ORDER = ["kernel", "depthwise_kernel", "pointwise_kernel", "bias", "gamma", "beta", "moving_mean",
                  "moving_variance", "alpha"]


def tensor(ref):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": None, "dtype": "float32", "keras_history": [ref[0], ref[1], ref[2]]}}


def keras3(entry, in_functional):
    """A legacy layer or model entry in Keras 3's serialisation."""
    cls = entry["class_name"]
    out = {"module": "keras.layers", "class_name": cls, "config": dict(entry["config"]), "registered_name": None}
    if cls in MODELS:
        functional = cls != "Sequential"
        out["module"] = "keras.src.models.functional" if functional else "keras"
        out["class_name"] = "Functional" if functional else "Sequential"
        out["registered_name"] = "Functional" if functional else None
        out["config"]["layers"] = [keras3(l, functional) for l in entry["config"]["layers"]]
        if functional:
            names = {l["config"]["name"]: l for l in entry["config"]["layers"]}

            def endpoint(ref):
                nested = names[ref[0]]["class_name"] in ("Functional", "Model")
                return [ref[0], ref[1] + 1 if nested else ref[1], ref[2]]
            for key in ("input_layers", "output_layers"):
                refs = entry["config"][key]
                out["config"][key] = endpoint(refs[0]) if len(refs) == 1 else [endpoint(r) for r in refs]
    if cls == "InputLayer":
        c = out["config"]
        out["config"] = {"batch_shape": c.get("batch_input_shape"), "dtype": "float32", "sparse": False,
                         "name": c["name"]}
    if in_functional:
        out["name"] = entry["config"]["name"]
        nodes = []
        for node in entry.get("inbound_nodes", []):
            args = [tensor(ref) for ref in node]
            nodes.append({"args": args if len(args) == 1 else [args], "kwargs": {}})
        out["inbound_nodes"] = nodes
    return out


def leaves_in_store_order(entry, legacy_group, path, out):
    """(store path, legacy group, leaf name) for every layer, numbered by class within its container."""
    used = {}
    layers = entry["config"]["layers"]
    if entry["class_name"] == "Sequential":
        layers = [l for l in layers if l["class_name"] != "InputLayer"]
    for layer in layers:
        cls = layer["class_name"]
        name = unique_name(snake("Functional" if cls in ("Functional", "Model") else cls), used)
        here = f"{path}/layers/{name}" if path else f"layers/{name}"
        group = legacy_group or layer["config"]["name"]
        if cls in MODELS:
            out.append((here, None, None))
            leaves_in_store_order(layer, group, here, out)
        else:
            out.append((here, group, layer["config"]["name"]))


def write(variant, out):
    """variant: "sigmoid" (one unit), "logits" (the head without its softmax) or "bgr" (the first convolution's
    input channels reversed, so that the model takes BGR photos)."""
    src = h5py.File(SOURCE, "r")
    legacy = json.loads(src.attrs["model_config"])
    weights = src["model_weights"]
    head = legacy["config"]["layers"][-1]
    assert head["config"]["units"] == 2 and head["config"]["activation"] == "softmax"
    if variant == "sigmoid":
        head["config"]["units"] = 1
        head["config"]["activation"] = "sigmoid"
    elif variant == "logits":
        head["config"]["activation"] = "linear"
    config = keras3(legacy, False)
    config.update({"build_config": {"input_shape": [None, 224, 224, 3]}, "compile_config": None})

    store = []
    leaves_in_store_order(legacy, None, "", store)
    tmp = out + ".weights.h5"
    with h5py.File(tmp, "w") as f:
        f.create_group("vars")
        for path, group, leaf in store:
            g = f.create_group(path + "/vars")
            if group is None:
                continue
            names = [n.decode() if isinstance(n, bytes) else n for n in weights[group].attrs["weight_names"]]
            mine = {n.split("/")[-1].split(":")[0]: weights[group][n][()] for n in names
                    if leaf in n.split("/")[:-1]}
            if leaf == "trained_head" and variant == "sigmoid":
                k, b = mine["kernel"], mine["bias"]
                mine = {"kernel": (k[:, 1] - k[:, 0]).reshape(-1, 1), "bias": np.array([b[1] - b[0]])}
            if leaf == "Conv1" and variant == "bgr":
                mine["kernel"] = mine["kernel"][:, :, ::-1, :]
            for i, short in enumerate(sorted(mine, key=VARIABLE_ORDER.index)):
                g.create_dataset(str(i), data=mine[short].astype(np.float32))
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.8.0", "date_saved": "2026-12-05@23:40:00"}))
        z.writestr("config.json", json.dumps(config))
        z.write(tmp, "model.weights.h5")
    os.remove(tmp)
    print("wrote", os.path.normpath(out), os.path.getsize(out), "bytes,", len(store), "store groups")


if __name__ == "__main__":
    for name in ("sigmoid", "logits", "bgr"):
        write(name, os.path.join(HERE, "..", "generated-keras3", "cats_vs_dogs_" + name + ".keras"))
