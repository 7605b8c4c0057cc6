#!/usr/bin/env python3
"""Writes the small Keras .h5 fixtures under ../generated/ with numpy and h5py only (Debian's
python3-numpy and python3-h5py; Keras itself is not installed and not needed).

Each fixture is a model whose config and HDF5 layout imitate what one Keras version writes (see
LAYOUTS below and README.md next to this script), random weights, a random float32 input batch
(<name>.input.npy) and the expected output (<name>.expected.npy) computed here in float64 by plain
numpy loops: an implementation independent of TensorFlow. Run once; the outputs are committed.

    /usr/bin/python3 make_fixtures.py          # from this directory
"""
import json
import math
import os
import shutil

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "generated")
rng = np.random.default_rng(20240604)


def rand(*shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


# ---------------------------------------------------------------- numpy reference implementations

def same_pads(n, k, s, d=1):
    """TF's 'same': output ceil(n/s); the odd pixel of padding goes after (bottom/right)."""
    keff = (k - 1) * d + 1
    out = -(-n // s)
    total = max((out - 1) * s + keff - n, 0)
    return out, total // 2, total - total // 2


def conv_geometry(x, kh, kw, strides, padding, dil=(1, 1)):
    _, H, W, _ = x.shape
    if padding == "same":
        oh, pt, pb = same_pads(H, kh, strides[0], dil[0])
        ow, pl, pr = same_pads(W, kw, strides[1], dil[1])
    else:
        pt = pb = pl = pr = 0
        oh = (H - ((kh - 1) * dil[0] + 1)) // strides[0] + 1
        ow = (W - ((kw - 1) * dil[1] + 1)) // strides[1] + 1
    return oh, ow, (pt, pb, pl, pr)


def conv2d(x, k, strides=(1, 1), padding="valid", dil=(1, 1)):
    kh, kw, _, co = k.shape
    oh, ow, (pt, pb, pl, pr) = conv_geometry(x, kh, kw, strides, padding, dil)
    xp = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    out = np.zeros((x.shape[0], oh, ow, co))
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    out[:, i, j, :] += xp[:, i * strides[0] + a * dil[0], j * strides[1] + b * dil[1], :] @ k[a, b]
    return out


def depthwise(x, k, strides=(1, 1), padding="valid", dil=(1, 1)):
    kh, kw, c, m = k.shape
    oh, ow, (pt, pb, pl, pr) = conv_geometry(x, kh, kw, strides, padding, dil)
    xp = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    n = x.shape[0]
    out = np.zeros((n, oh, ow, c * m))
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    patch = xp[:, i * strides[0] + a * dil[0], j * strides[1] + b * dil[1], :]
                    out[:, i, j, :] += (patch[:, :, None] * k[a, b][None]).reshape(n, c * m)
    return out


def conv2d_transpose(x, k, strides, padding):
    """Scatter form: every input pixel adds kernel * value into the output; then TF's cropping."""
    n, H, W, _ = x.shape
    kh, kw, co, _ = k.shape
    s0, s1 = strides
    fh, fw = (H - 1) * s0 + kh, (W - 1) * s1 + kw
    full = np.zeros((n, max(fh, H * s0), max(fw, W * s1), co))
    for i in range(H):
        for j in range(W):
            for a in range(kh):
                for b in range(kw):
                    full[:, i * s0 + a, j * s1 + b, :] += x[:, i, j, :] @ k[a, b].T
    if padding == "same":
        oh, ow = H * s0, W * s1
        pt = max((H - 1) * s0 + kh - oh, 0) // 2
        pl = max((W - 1) * s1 + kw - ow, 0) // 2
    else:
        oh, ow = H * s0 + max(kh - s0, 0), W * s1 + max(kw - s1, 0)
        pt = pl = 0
    return full[:, pt:pt + oh, pl:pl + ow, :]


def pool(x, size, strides, padding, kind):
    n, H, W, C = x.shape
    oh, ow, (pt, pb, pl, pr) = conv_geometry(x, size[0], size[1], strides, padding)
    out = np.zeros((n, oh, ow, C))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * strides[0] - pt, j * strides[1] - pl
            # only real pixels take part: TF's 'same' average ignores the padding
            win = x[:, max(r0, 0):min(r0 + size[0], H), max(c0, 0):min(c0 + size[1], W), :]
            out[:, i, j, :] = win.max(axis=(1, 2)) if kind == "max" else win.mean(axis=(1, 2))
    return out


def resize(x, oh, ow, method):
    """tf.image.resize (v2): half-pixel centres, no antialiasing."""
    n, H, W, C = x.shape
    out = np.zeros((n, oh, ow, C))
    sy, sx = H / oh, W / ow
    for i in range(oh):
        for j in range(ow):
            if method == "nearest":
                yi = min(int(math.floor((i + 0.5) * sy)), H - 1)
                xi = min(int(math.floor((j + 0.5) * sx)), W - 1)
                out[:, i, j, :] = x[:, yi, xi, :]
                continue
            y = (i + 0.5) * sy - 0.5
            xx = (j + 0.5) * sx - 0.5
            y0, x0 = math.floor(y), math.floor(xx)
            ly, lx = y - y0, xx - x0
            ya, yb = max(y0, 0), min(math.ceil(y), H - 1)
            xa, xb = max(x0, 0), min(math.ceil(xx), W - 1)
            top = x[:, ya, xa] + (x[:, ya, xb] - x[:, ya, xa]) * lx
            bottom = x[:, yb, xa] + (x[:, yb, xb] - x[:, yb, xa]) * lx
            out[:, i, j, :] = top + (bottom - top) * ly
    return out


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def erf(x):
    return np.vectorize(math.erf)(x)


SELU_A, SELU_S = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def activation(name, x, major):
    return {
        "linear": lambda: x,
        "relu": lambda: np.maximum(x, 0),
        "relu6": lambda: np.clip(x, 0, 6),
        "sigmoid": lambda: sigmoid(x),
        # Keras 2: 0.2x + 0.5; Keras 3: relu6(x + 3) / 6
        "hard_sigmoid": lambda: np.clip(0.2 * x + 0.5, 0, 1) if major == 2 else np.clip(x + 3, 0, 6) / 6,
        "softmax": lambda: softmax(x),
        "log_softmax": lambda: np.log(softmax(x)),
        "tanh": lambda: np.tanh(x),
        "elu": lambda: np.where(x > 0, x, np.expm1(x)),
        "selu": lambda: SELU_S * np.where(x > 0, x, SELU_A * np.expm1(x)),
        "softplus": lambda: np.log1p(np.exp(x)),
        "softsign": lambda: x / (1 + np.abs(x)),
        "swish": lambda: x * sigmoid(x),
        "silu": lambda: x * sigmoid(x),
        "hard_silu": lambda: x * np.clip(x + 3, 0, 6) / 6,
        "gelu": lambda: 0.5 * x * (1 + erf(x / math.sqrt(2))),
        "exponential": lambda: np.exp(x),
        "leaky_relu": lambda: np.where(x > 0, x, 0.2 * x),
        "mish": lambda: x * np.tanh(np.log1p(np.exp(x))),
    }[name]()


# ---------------------------------------------------------------- a tiny functional API

class Tensor:
    def __init__(self, layer, node, shape):
        self.layer, self.node, self.shape = layer, node, shape


class Layer:
    """class_name, Keras 2 style config, weights [(short name, array)], and a numpy forward."""

    def __init__(self, cls, name, config=None, weights=(), forward=None, out_shape=None):
        self.cls, self.name = cls, name
        self.config = dict(config or {})
        self.weights = list(weights)
        self.forward = forward
        self.out_shape = out_shape
        self.nodes = []  # list of input Tensor lists

    def __call__(self, inputs):
        ins = inputs if isinstance(inputs, list) else [inputs]
        self.nodes.append((ins, isinstance(inputs, list)))
        shape = self.out_shape([t.shape for t in ins]) if self.out_shape else ins[0].shape
        return Tensor(self, len(self.nodes) - 1, shape)


def Input(shape, name):
    layer = Layer("InputLayer", name, {"batch_input_shape": [None] + list(shape), "dtype": "float32",
                                       "sparse": False, "ragged": False})
    layer.input_shape = [None] + list(shape)
    return Tensor(layer, 0, [None] + list(shape))


class Model:
    """A Functional model (or, with sequential=True, a Sequential one) over Tensors."""

    def __init__(self, inputs, outputs, name, sequential=False, offset=0):
        self.inputs, self.outputs, self.name, self.sequential = inputs, outputs, name, sequential
        # Keras 2 numbers the outer calls of a nested model built on its own Input from 1
        self.offset = offset
        self.layers = self._collect()
        self.cls = "Sequential" if sequential else "Functional"
        self.nodes = []
        self.shape_in = inputs[0].shape

    def _collect(self):
        order, seen = [], set()

        def visit(t):
            if id(t.layer) in seen:
                return
            for ins, _ in t.layer.nodes[: t.node + 1] if t.layer.nodes else []:
                for i in ins:
                    visit(i)
            seen.add(id(t.layer))
            order.append(t.layer)
        for i in self.inputs:
            visit(i)
        for o in self.outputs:
            visit(o)
        return order

    def __call__(self, inputs):
        ins = inputs if isinstance(inputs, list) else [inputs]
        self.nodes.append((ins, isinstance(inputs, list)))
        return Tensor(self, len(self.nodes) - 1 + self.node_offset(), self.outputs[0].shape)

    def node_offset(self):
        return self.offset

    def run(self, xs):
        values = {}
        for t, x in zip(self.inputs, xs):
            values[(id(t.layer), 0)] = x
        for layer in self.layers:
            if layer.cls == "InputLayer":
                continue
            for k, (ins, _) in enumerate(layer.nodes):
                key = (id(layer), k + (layer.offset if isinstance(layer, Model) else 0))
                vals = [values.get((id(i.layer), i.node)) for i in ins]
                if any(v is None for v in vals) or key in values:
                    continue
                if isinstance(layer, Model):
                    values[key] = layer.run(vals)
                else:
                    values[key] = layer.forward(*vals)
        return values[(id(self.outputs[0].layer), self.outputs[0].node)]

    def leaves(self):
        for layer in self.layers:
            if isinstance(layer, Model):
                yield from layer.leaves()
            else:
                yield layer


# ---------------------------------------------------------------- layer factories (Keras 2 configs)

counter = {}


def uniq(base):
    counter[base] = counter.get(base, 0) + 1
    return base if counter[base] == 1 else f"{base}_{counter[base] - 1}"


def dense(units, activation_="linear", use_bias=True, name=None, inp=None, major=2):
    name = name or uniq("dense")
    k = rand(inp, units)
    b = rand(units)
    ws = [("kernel", k)] + ([("bias", b)] if use_bias else [])

    def fwd(x):
        y = x @ k.astype(np.float64) + (b if use_bias else 0)
        return activation(activation_, y, major)
    return Layer("Dense", name, {"units": units, "activation": activation_, "use_bias": use_bias}, ws, fwd,
                 lambda s: s[0][:-1] + [units])


def conv(filters, ksize, cin, strides=(1, 1), padding="valid", dil=(1, 1), use_bias=True, act="linear", name=None,
         major=2):
    name = name or uniq("conv2d")
    k = rand(ksize[0], ksize[1], cin, filters)
    b = rand(filters)

    def fwd(x):
        return activation(act, conv2d(x, k, strides, padding, dil) + (b if use_bias else 0), major)

    def shape(s):
        z = np.zeros([1] + s[0][1:])
        oh, ow, _ = conv_geometry(z, ksize[0], ksize[1], strides, padding, dil)
        return [None, oh, ow, filters]
    return Layer("Conv2D", name, {"filters": filters, "kernel_size": list(ksize), "strides": list(strides),
                                  "padding": padding, "data_format": "channels_last", "dilation_rate": list(dil),
                                  "groups": 1, "activation": act, "use_bias": use_bias},
                 [("kernel", k)] + ([("bias", b)] if use_bias else []), fwd, shape)


def simple(cls, name, config, fwd, shape=None, weights=()):
    return Layer(cls, uniq(name), config, weights, fwd, shape)


def batchnorm(c, name=None, eps=1e-3):
    g, be, m, v = rand(c) + 1, rand(c), rand(c), np.abs(rand(c)) + 0.5
    return Layer("BatchNormalization", name or uniq("batch_normalization"),
                 {"axis": [3] if True else -1, "momentum": 0.99, "epsilon": eps, "center": True, "scale": True},
                 [("gamma", g), ("beta", be), ("moving_mean", m), ("moving_variance", v)],
                 lambda x: (x - m) / np.sqrt(v.astype(np.float64) + eps) * g + be)


# ---------------------------------------------------------------- serialisation per Keras version

LAYOUTS = {
    # name: (keras_version attribute, description)
    "keras_2_1": ("2.1.6", "standalone Keras 2.1.6: Sequential config is a bare list of layers"),
    "keras_2_2": ("2.2.4", "standalone Keras 2.2.4: {name, layers}, Functional class 'Model', names like dense_1"),
    "tf_keras_2_2_tf": ("2.2.4-tf", "tf.keras in TF 1.15-2.1: keras_version 2.2.4-tf, class 'Model'"),
    "tf_keras_2_11": ("2.11.0", "tf.keras 2.11: class 'Functional', InputLayer in Sequential configs"),
    "tf_keras_2_16": ("2.16.0", "tf_keras 2.16+: module/registered_name/build_config keys, variable-length strings"),
    "keras_3": ("3.6.0", "Keras 3 legacy .h5: module/registered_name, DTypePolicy objects, build_config, "
                         "__keras_tensor__ inbound_nodes, weight paths without ':0'"),
}

POLICY = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def layer_config(layer, layout):
    cfg = {"name": layer.name, "trainable": True}
    cfg.update(layer.config)
    if layout == "keras_3":
        cfg["dtype"] = POLICY if layer.cls != "InputLayer" else "float32"
        if layer.cls == "InputLayer":
            cfg = {"batch_shape": layer.config["batch_input_shape"], "dtype": "float32", "sparse": False,
                   "name": layer.name}
        if "activation" in cfg and cfg["activation"] == "swish":
            cfg["activation"] = "silu"
    elif layer.cls != "InputLayer":
        cfg["dtype"] = "float32"
    return cfg


def keras3_tensor(t):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": t.shape, "dtype": "float32", "keras_history": [t.layer.name, t.node, 0]}}


def inbound(layer, layout):
    nodes = []
    for ins, as_list in layer.nodes:
        if layout == "keras_3":
            args = [keras3_tensor(t) for t in ins]
            nodes.append({"args": [args] if as_list else args, "kwargs": {}})
        else:
            nodes.append([[t.layer.name, t.node, 0, {}] for t in ins])
    return nodes


def entry(layer, layout, functional):
    if isinstance(layer, Model):
        e = {"class_name": model_class(layer, layout), "config": model_config(layer, layout)}
    else:
        e = {"class_name": layer.cls, "config": layer_config(layer, layout)}
    if layout in ("tf_keras_2_16", "keras_3"):
        e = {"module": "keras.layers" if not isinstance(layer, Model) else "keras.src.models.functional",
             **e, "registered_name": None if not isinstance(layer, Model) else e["class_name"]}
        if layer.cls != "InputLayer" and not isinstance(layer, Model):
            e["build_config"] = {"input_shape": layer.nodes[0][0][0].shape if layer.nodes else None}
    if functional:
        e["name"] = layer.name
        e["inbound_nodes"] = inbound(layer, layout)
    return e


def model_class(model, layout):
    if model.sequential:
        return "Sequential"
    return "Model" if layout in ("keras_2_1", "keras_2_2", "tf_keras_2_2_tf") else "Functional"


def model_config(model, layout):
    if model.sequential:
        layers = [entry(l, layout, False) for l in model.layers
                  if not (l.cls == "InputLayer" and layout in ("keras_2_1", "keras_2_2"))]
        if layout in ("keras_2_1", "keras_2_2"):
            # standalone Keras 2 puts the input shape on the first real layer
            layers[0]["config"]["batch_input_shape"] = model.shape_in
        if layout == "keras_2_1":
            return layers
        cfg = {"name": model.name, "layers": layers}
        if layout == "keras_3":
            cfg.update({"trainable": True, "dtype": POLICY, "build_input_shape": model.shape_in})
        return cfg

    def refs(ts):
        if layout == "keras_3" and len(ts) == 1:
            return [ts[0].layer.name, ts[0].node, 0]
        return [[t.layer.name, t.node, 0] for t in ts]
    return {"name": model.name, "layers": [entry(l, layout, True) for l in model.layers],
            "input_layers": refs(model.inputs), "output_layers": refs(model.outputs)}


def weight_path(leaf, short, layout, nested_in):
    if layout == "keras_3":
        return f"{leaf.name}/{short}"
    if nested_in is not None and layout in ("keras_2_2", "tf_keras_2_2_tf"):
        return f"{nested_in}/{leaf.name}/{short}:0"
    return f"{leaf.name}/{short}:0"


def put_strings(group, name, values, layout):
    """Fixed-length byte strings like Keras < 2.13, or variable-length str like tf_keras 2.16 / Keras 3."""
    if layout in ("tf_keras_2_16",):
        arr = np.array(values, dtype=h5py.string_dtype())
    else:
        arr = np.array([v.encode("utf8") for v in values]) if values else np.array([])
    # Keras splits attributes over 64512 bytes into name0, name1, ... (save_attributes_to_hdf5_group)
    if arr.size and arr.nbytes > 64512 and arr.dtype.kind == "S":
        chunks = 1
        while any(c.nbytes > 64512 for c in np.array_split(arr, chunks)):
            chunks += 1
        for i, c in enumerate(np.array_split(arr, chunks)):
            group.attrs[f"{name}{i}"] = c
    else:
        group.attrs[name] = arr


def put_scalar(node, name, value, layout):
    node.attrs[name] = value if layout == "tf_keras_2_16" else value.encode("utf8")


def write_weights(group, model, layout):
    version = LAYOUTS[layout][0]
    # Sequential.layers leaves the InputLayer out, Functional.layers keeps it
    tops = [l for l in model.layers if not (model.sequential and l.cls == "InputLayer")]
    put_strings(group, "layer_names", [l.name for l in tops], layout)
    put_scalar(group, "backend", "tensorflow", layout)
    put_scalar(group, "keras_version", version, layout)
    for layer in sorted(tops, key=lambda l: l.name):
        g = group.create_group(layer.name)
        if isinstance(layer, Model):
            pairs = [(weight_path(leaf, s, layout, layer.name), w) for leaf in layer.leaves() for s, w in leaf.weights]
        else:
            pairs = [(weight_path(layer, s, layout, None), w) for s, w in layer.weights]
        put_strings(g, "weight_names", [p for p, _ in pairs], layout)
        for p, w in pairs:
            g.create_dataset(p, data=w)
    if layout in ("tf_keras_2_16", "keras_3"):
        g = group.create_group("top_level_model_weights")
        g.attrs["weight_names"] = np.array([])


def save(model, name, layout, xs, weights_only=False, notes=""):
    path = os.path.join(OUT, name + ".h5")
    config = {"class_name": model_class(model, layout), "config": model_config(model, layout)}
    if layout == "keras_3":
        config = {"module": "keras", **config, "registered_name": None}
    with h5py.File(path, "w") as f:
        if weights_only:
            write_weights(f, model, layout)
        else:
            put_scalar(f, "keras_version", LAYOUTS[layout][0], layout)
            put_scalar(f, "backend", "tensorflow", layout)
            put_scalar(f, "model_config", json.dumps(config), layout)
            write_weights(f.create_group("model_weights"), model, layout)
    if weights_only:
        arch = dict(config)
        arch.update({"keras_version": LAYOUTS[layout][0], "backend": "tensorflow"})
        with open(os.path.join(OUT, name + ".arch.json"), "w") as f:
            json.dump(arch, f)
    y = model.run([x.astype(np.float64) for x in xs])
    np.save(os.path.join(OUT, name + ".input.npy"), xs[0].astype(np.float32))
    np.save(os.path.join(OUT, name + ".expected.npy"), y.astype(np.float64))
    INDEX.append({"name": name, "layout": layout, "imitates": LAYOUTS[layout][1],
                  "weightsOnly": weights_only, "notes": notes})


INDEX = []


# ---------------------------------------------------------------- the fixtures

def seq(name, in_shape, layers, layout="tf_keras_2_11", notes="", batch=2, major=2):
    """Sequential model: Input, then each layer applied in turn."""
    t = Input(in_shape, uniq("input"))
    x = t
    for l in layers:
        x = l(x)
    save(Model([t], [x], uniq("sequential"), sequential=True), name, layout, [rand(batch, *in_shape, scale=1.0)],
         notes=notes)


def fun(name, in_shape, build, layout="tf_keras_2_11", notes="", batch=2, weights_only=False):
    t = Input(in_shape, uniq("input"))
    out = build(t)
    save(Model([t], [out], uniq("model")), name, layout, [rand(batch, *in_shape, scale=1.0)],
         weights_only=weights_only, notes=notes)


def merge(cls, fn, shape_fn=None, config=None):
    return simple(cls, cls.lower(), config or {}, lambda *xs: fn(*xs), shape_fn)


def layer_fixtures():
    L = "tf_keras_2_11"
    seq("conv2d_valid_stride2", [7, 7, 2], [conv(3, (3, 3), 2, strides=(2, 2), act="relu")])
    seq("conv2d_same_stride2_gray_nobias", [6, 6, 1], [conv(2, (3, 3), 1, strides=(2, 2), padding="same",
                                                            use_bias=False)], notes="1-channel input")
    seq("conv2d_dilated_same", [6, 5, 2], [conv(2, (2, 3), 2, padding="same", dil=(2, 2))])

    k = rand(3, 3, 2, 2); b = rand(4)
    seq("depthwise_conv2d", [5, 5, 2], [simple("DepthwiseConv2D", "depthwise_conv2d",
        {"kernel_size": [3, 3], "strides": [2, 2], "padding": "same", "depth_multiplier": 2,
         "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "relu6", "use_bias": True},
        lambda x: np.clip(depthwise(x, k, (2, 2), "same") + b, 0, 6),
        lambda s: [None, 3, 3, 4], [("depthwise_kernel", k), ("bias", b)])])

    dk = rand(3, 3, 3, 1); pk = rand(1, 1, 3, 4); sb = rand(4)
    seq("separable_conv2d", [6, 6, 3], [simple("SeparableConv2D", "separable_conv2d",
        {"filters": 4, "kernel_size": [3, 3], "strides": [2, 2], "padding": "same", "depth_multiplier": 1,
         "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "relu", "use_bias": True},
        lambda x: np.maximum(conv2d(depthwise(x, dk, (2, 2), "same"), pk) + sb, 0),
        lambda s: [None, 3, 3, 4], [("depthwise_kernel", dk), ("pointwise_kernel", pk), ("bias", sb)])])

    tk = rand(3, 3, 3, 2); tb = rand(3)
    tk2 = rand(3, 3, 2, 3); tb2 = rand(2)
    seq("conv2d_transpose", [3, 3, 2], [
        simple("Conv2DTranspose", "conv2d_transpose", {"filters": 3, "kernel_size": [3, 3], "strides": [2, 2],
               "padding": "same", "output_padding": None, "data_format": "channels_last", "dilation_rate": [1, 1],
               "activation": "linear", "use_bias": True},
               lambda x: conv2d_transpose(x, tk, (2, 2), "same") + tb, lambda s: [None, 6, 6, 3],
               [("kernel", tk), ("bias", tb)]),
        simple("Conv2DTranspose", "conv2d_transpose", {"filters": 2, "kernel_size": [3, 3], "strides": [2, 2],
               "padding": "valid", "output_padding": None, "data_format": "channels_last", "dilation_rate": [1, 1],
               "activation": "linear", "use_bias": True},
               lambda x: conv2d_transpose(x, tk2, (2, 2), "valid") + tb2, lambda s: [None, 13, 13, 2],
               [("kernel", tk2), ("bias", tb2)])])

    seq("max_pooling2d_same", [7, 7, 2], [simple("MaxPooling2D", "max_pooling2d",
        {"pool_size": [3, 3], "strides": [2, 2], "padding": "same", "data_format": "channels_last"},
        lambda x: pool(x, (3, 3), (2, 2), "same", "max"))])
    seq("average_pooling2d_same", [5, 5, 2], [simple("AveragePooling2D", "average_pooling2d",
        {"pool_size": [2, 2], "strides": [2, 2], "padding": "same", "data_format": "channels_last"},
        lambda x: pool(x, (2, 2), (2, 2), "same", "avg"))])
    seq("average_pooling2d_valid", [5, 5, 2], [simple("AveragePooling2D", "average_pooling2d",
        {"pool_size": [2, 2], "strides": None, "padding": "valid", "data_format": "channels_last"},
        lambda x: pool(x, (2, 2), (2, 2), "valid", "avg"))])
    seq("global_average_pooling2d_keepdims", [4, 3, 2], [simple("GlobalAveragePooling2D", "gap",
        {"data_format": "channels_last", "keepdims": True}, lambda x: x.mean(axis=(1, 2), keepdims=True))])
    seq("global_max_pooling2d", [4, 3, 2], [simple("GlobalMaxPooling2D", "gmp",
        {"data_format": "channels_last", "keepdims": False}, lambda x: x.max(axis=(1, 2)))])
    seq("zero_padding_and_cropping2d", [4, 4, 2], [
        simple("ZeroPadding2D", "zero_padding2d", {"padding": [[1, 2], [0, 1]], "data_format": "channels_last"},
               lambda x: np.pad(x, ((0, 0), (1, 2), (0, 1), (0, 0)))),
        simple("Cropping2D", "cropping2d", {"cropping": [[1, 0], [1, 2]], "data_format": "channels_last"},
               lambda x: x[:, 1:, 1:-2, :])])
    seq("batch_normalization", [3, 3, 4], [batchnorm(4)])

    g = rand(3) + 1; be = rand(3)
    def ln(x):
        m = x.mean(axis=-1, keepdims=True); v = x.var(axis=-1, keepdims=True)
        return (x - m) / np.sqrt(v + 1e-3) * g + be
    seq("layer_normalization_rank3", [4, 3], [simple("LayerNormalization", "layer_normalization",
        {"axis": [2], "epsilon": 1e-3, "center": True, "scale": True}, ln, None, [("gamma", g), ("beta", be)])],
        notes="rank-3 input [batch, 4, 3]")
    seq("dense_rank2", [5], [dense(3, "tanh", inp=5)])
    seq("dense_rank3", [4, 3], [dense(2, "relu", inp=3)], notes="rank-3 input: Dense on the last axis")
    seq("flatten_dense", [3, 2, 2], [simple("Flatten", "flatten", {"data_format": "channels_last"},
                                            lambda x: x.reshape(x.shape[0], -1), lambda s: [None, 12]),
                                     dense(2, "softmax", inp=12)])
    seq("reshape_permute", [2, 3, 4], [
        simple("Reshape", "reshape", {"target_shape": [6, -1]}, lambda x: x.reshape(x.shape[0], 6, 4),
               lambda s: [None, 6, 4]),
        simple("Permute", "permute", {"dims": [2, 1]}, lambda x: x.transpose(0, 2, 1), lambda s: [None, 4, 6])])
    ident = lambda x: x
    seq("inference_identities", [4, 4, 2], [
        simple("Dropout", "dropout", {"rate": 0.5, "noise_shape": None, "seed": None}, ident),
        simple("SpatialDropout2D", "spatial_dropout2d", {"rate": 0.3}, ident),
        simple("GaussianNoise", "gaussian_noise", {"stddev": 0.5}, ident),
        simple("GaussianDropout", "gaussian_dropout", {"rate": 0.5}, ident),
        simple("RandomFlip", "random_flip", {"mode": "horizontal_and_vertical", "seed": None}, ident),
        simple("RandomRotation", "random_rotation", {"factor": 0.2, "fill_mode": "reflect"}, ident),
        simple("RandomZoom", "random_zoom", {"height_factor": 0.2, "width_factor": None}, ident),
        simple("RandomTranslation", "random_translation", {"height_factor": 0.1, "width_factor": 0.1}, ident),
        simple("RandomContrast", "random_contrast", {"factor": 0.2}, ident),
        conv(1, (1, 1), 2)])

    def activations(major, names, layout):
        def build(t):
            outs = [simple("Activation", "activation", {"activation": n},
                           (lambda n_: lambda x: activation(n_, x, major))(n))(t) for n in names]
            return merge("Concatenate", lambda *xs: np.concatenate(xs, axis=-1),
                         lambda ss: [None, sum(s[-1] for s in ss)], {"axis": -1})(outs)
        fun(f"activations_keras{major}", [5], build, layout=layout,
            notes="one Activation layer per function, concatenated")
    activations(2, ["linear", "relu", "relu6", "sigmoid", "hard_sigmoid", "softmax", "tanh", "elu", "selu",
                    "softplus", "softsign", "swish", "gelu", "exponential"], L)
    activations(3, ["hard_sigmoid", "silu", "gelu", "hard_silu", "leaky_relu", "mish", "log_softmax", "relu6",
                    "elu", "selu"], "keras_3")

    alpha = rand(1, 1, 3)
    seq("relu_variants", [3, 3, 3], [
        simple("ReLU", "re_lu", {"max_value": 1.5, "negative_slope": 0.1, "threshold": 0.2},
               lambda x: np.where(x >= 1.5, 1.5, np.where(x > 0.2, x, 0.1 * (x - 0.2)))),
        simple("LeakyReLU", "leaky_re_lu", {"alpha": 0.3}, lambda x: np.where(x > 0, x, 0.3 * x)),
        simple("PReLU", "p_re_lu", {"shared_axes": [1, 2]}, lambda x: np.maximum(x, 0) + alpha * np.minimum(x, 0),
               None, [("alpha", alpha)]),
        simple("ELU", "elu", {"alpha": 0.7}, lambda x: np.where(x > 0, x, 0.7 * np.expm1(x))),
        simple("Softmax", "softmax", {"axis": -1}, softmax)])

    def merges(t):
        a = dense(4, "relu", inp=4)(t)
        b = dense(4, "tanh", inp=4)(t)
        outs = [merge("Add", lambda x, y: x + y)([a, b]),
                merge("Subtract", lambda x, y: x - y)([a, b]),
                merge("Multiply", lambda x, y: x * y)([a, b]),
                merge("Average", lambda x, y, z: (x + y + z) / 3)([a, b, t]),
                merge("Maximum", lambda x, y: np.maximum(x, y))([a, t]),
                merge("Minimum", lambda x, y: np.minimum(x, y))([b, t])]
        return merge("Concatenate", lambda *xs: np.concatenate(xs, axis=-1),
                     lambda ss: [None, sum(s[-1] for s in ss)], {"axis": -1})(outs)
    fun("merge_layers", [4], merges, notes="Add/Subtract/Multiply/Average/Maximum/Minimum/Concatenate; "
                                           "the input tensor is shared by several layers")

    mean = rand(3); var = np.abs(rand(3)) + 0.1
    seq("preprocessing_layers", [5, 4, 3], [
        simple("Rescaling", "rescaling", {"scale": 1 / 127.5, "offset": -1.0}, lambda x: x / 127.5 - 1.0),
        simple("Normalization", "normalization", {"axis": [-1], "mean": None, "variance": None, "invert": False},
               lambda x: (x - mean) / np.maximum(np.sqrt(var.astype(np.float64)), 1e-7), None,
               [("mean", mean), ("variance", var), ("count", np.array(10, dtype=np.int64))]),
        simple("Resizing", "resizing", {"height": 7, "width": 3, "interpolation": "bilinear",
                                        "crop_to_aspect_ratio": False}, lambda x: resize(x, 7, 3, "bilinear"),
               lambda s: [None, 7, 3, 3]),
        simple("Resizing", "resizing", {"height": 4, "width": 5, "interpolation": "nearest",
                                        "crop_to_aspect_ratio": False}, lambda x: resize(x, 4, 5, "nearest"),
               lambda s: [None, 4, 5, 3])])


def small_cnn(layout, name, sequential, notes=""):
    """The same kind of network in every layout: conv, batch norm, relu, pool, flatten, dense softmax."""
    major = 3 if layout == "keras_3" else 2
    layers = [conv(4, (3, 3), 3, padding="same", act="linear", major=major), batchnorm(4),
              simple("Activation", "activation", {"activation": "relu"}, lambda x: np.maximum(x, 0)),
              simple("MaxPooling2D", "max_pooling2d", {"pool_size": [2, 2], "strides": [2, 2], "padding": "valid",
                                                       "data_format": "channels_last"},
                     lambda x: pool(x, (2, 2), (2, 2), "valid", "max"), lambda s: [None, 3, 3, 4]),
              simple("Flatten", "flatten", {"data_format": "channels_last"},
                     lambda x: x.reshape(x.shape[0], -1), lambda s: [None, 36]),
              dense(3, "softmax", inp=36, major=major)]
    if sequential:
        seq(name, [6, 6, 3], layers, layout=layout, notes=notes, batch=3)
    else:
        def build(t):
            x = t
            for l in layers:
                x = l(x)
            return x
        fun(name, [6, 6, 3], build, layout=layout, notes=notes, batch=3)


def skip_model(layout, name, weights_only=False):
    """Functional graph with a skip connection and a nested model."""
    major = 3 if layout == "keras_3" else 2
    keras2 = major == 2

    def build(t):
        c1 = conv(3, (3, 3), 2, padding="same", act="relu", major=major)(t)
        c2 = conv(3, (3, 3), 3, padding="same", major=major)(c1)
        s = merge("Add", lambda x, y: x + y)([c1, c2])
        # a nested Functional model built on its own Input, called once
        it = Input([5, 5, 3], uniq("inner_input"))
        inner_out = simple("GlobalAveragePooling2D", "global_average_pooling2d",
                           {"data_format": "channels_last", "keepdims": False},
                           lambda x: x.mean(axis=(1, 2)), lambda s_: [None, 3])(
            conv(3, (1, 1), 3, act="relu", major=major)(it))
        inner = Model([it], [inner_out], uniq("inner_model"), offset=1 if keras2 else 0)
        y = inner(s)
        return dense(2, "sigmoid", inp=3, major=major)(y)
    fun(name, [5, 5, 2], build, layout=layout, weights_only=weights_only,
        notes="skip connection (Add of a tensor used twice) and a nested Functional model")


def layout_fixtures():
    small_cnn("keras_2_1", "layout_keras_2_1_sequential", True)
    small_cnn("keras_2_2", "layout_keras_2_2_sequential", True)
    skip_model("keras_2_2", "layout_keras_2_2_functional")
    small_cnn("tf_keras_2_2_tf", "layout_tf_keras_2_2_tf_sequential", True)
    skip_model("tf_keras_2_2_tf", "layout_tf_keras_2_2_tf_functional")
    small_cnn("tf_keras_2_11", "layout_tf_keras_2_11_functional", False)
    skip_model("tf_keras_2_11", "layout_tf_keras_2_11_nested")
    small_cnn("tf_keras_2_16", "layout_tf_keras_2_16_sequential", True)
    skip_model("tf_keras_2_16", "layout_tf_keras_2_16_nested")
    small_cnn("keras_3", "layout_keras_3_sequential", True)
    skip_model("keras_3", "layout_keras_3_functional")
    # save_weights() output plus model.to_json()
    skip_model("tf_keras_2_11", "weights_only_tf_keras_2_11", weights_only=True)
    skip_model("keras_2_2", "weights_only_keras_2_2", weights_only=True)
    # over 64 KB of layer names: Keras splits layer_names into layer_names0, layer_names1
    layers = [dense(3, "relu", inp=4)] + [
        simple("Dropout", "dropout_" + "x" * 200, {"rate": 0.1}, lambda x: x) for _ in range(330)]
    seq("split_layer_names_keras_2_2", [4], layers, layout="keras_2_2",
        notes="331 layers with 200-character names: layer_names0/layer_names1")


if __name__ == "__main__":
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    layer_fixtures()
    layout_fixtures()
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(INDEX, f, indent=1)
    print(len(INDEX), "fixtures in", os.path.normpath(OUT))
