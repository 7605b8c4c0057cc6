"""Checks that a .h5 written by train-image opens with h5py and holds what Keras's legacy HDF5 loader reads.

Run with Debian's python3-h5py (no TensorFlow needed):  /usr/bin/python3 keras_h5_check.py models/NAME.h5

It follows tf_keras 2.x saving/legacy/hdf5_format.py: load_model_from_hdf5 reads the root attributes
model_config (JSON, str or bytes) and keras_version/backend; load_weights_from_hdf5_group reads
model_weights/@layer_names (or layer_names0, 1, ... chunks), keeps the groups whose @weight_names
(same chunking; missing means none) is non-empty, and reads each named dataset in order.
"""
import json
import sys

import h5py
import numpy as np


def load_attributes(group, name):
    # as hdf5_format.load_attributes_from_hdf5_group
    if name in group.attrs:
        return [n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[name]]
    data, chunk = [], 0
    while f"{name}{chunk}" in group.attrs:
        data.extend(n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[f"{name}{chunk}"])
        chunk += 1
    return data


def text(value):
    return value.decode("utf-8") if hasattr(value, "decode") else value


def walk_layers(config):
    cfg = config["config"]
    layers = cfg if isinstance(cfg, list) else cfg["layers"]
    for layer in layers:
        yield layer
        if layer["class_name"] in ("Sequential", "Functional", "Model"):
            yield from walk_layers(layer)


def main(path):
    with h5py.File(path, "r") as f:
        config = json.loads(text(f.attrs["model_config"]))
        version, backend = text(f.attrs["keras_version"]), text(f.attrs["backend"])
        leaves = [l for l in walk_layers(config) if l["class_name"] not in ("Sequential", "Functional", "Model")]
        print(f"keras_version {version}, backend {backend}, model {config['class_name']}, {len(leaves)} leaf layers")
        weights = f["model_weights"]
        names = load_attributes(weights, "layer_names")
        total = 0
        for name in names:
            group = weights[name]
            weight_names = load_attributes(group, "weight_names")
            values = [np.asarray(group[w]) for w in weight_names]
            for w, v in zip(weight_names, values):
                assert v.dtype == np.float32, f"{name}/{w} is {v.dtype}"
                assert np.all(np.isfinite(v)), f"{name}/{w} has non-finite values"
            total += sum(v.size for v in values)
            print(f"  {name}: {len(weight_names)} weights, {sum(v.size for v in values)} values")
        last = leaves[-1]
        print(f"last layer {last['config']['name']} ({last['class_name']}, units {last['config'].get('units')},"
              f" activation {last['config'].get('activation')}); {total} parameters")


if __name__ == "__main__":
    main(sys.argv[1])
