#!/usr/bin/python3
"""Writes the ONNX test models of src/test/resources/tabular/onnx/ with Debian's python3-onnx (onnx.helper),
the operators skl2onnx and onnxmltools emit, and constants the Java tests restate to compute each answer on
their own (OnnxClassifierTest). Run from the project folder: /usr/bin/python3 src/test/resources/tabular/generators/make_onnx_fixtures.py
"""
import onnx
from onnx import TensorProto, helper

OUT = "src/test/resources/tabular/onnx/"
OPSETS = [helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.ml", 3)]


def save(graph, name):
    model = helper.make_model(graph, opset_imports=OPSETS, producer_name="mlpages-test-fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, OUT + name)


def zipmap_output(name, key_type):
    """ZipMap's output, a sequence of maps {class: probability} (this onnx has no make_map_type_proto)."""
    value = onnx.ValueInfoProto(name=name)
    value.type.sequence_type.elem_type.map_type.key_type = key_type
    value.type.sequence_type.elem_type.map_type.value_type.tensor_type.elem_type = TensorProto.FLOAT
    return value


# 1. A pipeline as skl2onnx writes a ColumnTransformer: one input per column, strings one-hot encoded, a number
#    standardised, then a binary logistic regression, with the default ZipMap output.
sex_cats, smoker_cats = ["F", "M"], ["no", "yes"]
age_mean, age_std = 40.0, 12.0
w = [0.4, -0.3, -0.8, 0.9, 1.5]  # [sex=F, sex=M, smoker=no, smoker=yes, age standardised]
b = -0.2
nodes = [
    helper.make_node("OneHotEncoder", ["sex"], ["sex_hot"], domain="ai.onnx.ml", cats_strings=sex_cats, zeros=1),
    helper.make_node("Reshape", ["sex_hot", "two"], ["sex_2"]),
    helper.make_node("OneHotEncoder", ["smoker"], ["smoker_hot"], domain="ai.onnx.ml", cats_strings=smoker_cats,
                     zeros=1),
    helper.make_node("Reshape", ["smoker_hot", "two"], ["smoker_2"]),
    helper.make_node("Scaler", ["age"], ["age_scaled"], domain="ai.onnx.ml", offset=[age_mean],
                     scale=[1.0 / age_std]),
    helper.make_node("Concat", ["sex_2", "smoker_2", "age_scaled"], ["features"], axis=1),
    helper.make_node("LinearClassifier", ["features"], ["label", "probabilities"], domain="ai.onnx.ml",
                     classlabels_strings=["bad", "good"], coefficients=[-x for x in w] + w, intercepts=[-b, b],
                     post_transform="LOGISTIC"),
    helper.make_node("ZipMap", ["probabilities"], ["output_probability"], domain="ai.onnx.ml",
                     classlabels_strings=["bad", "good"]),
]
graph = helper.make_graph(
    nodes, "pipeline_strings",
    [helper.make_tensor_value_info("sex", TensorProto.STRING, [None, 1]),
     helper.make_tensor_value_info("smoker", TensorProto.STRING, [None, 1]),
     helper.make_tensor_value_info("age", TensorProto.FLOAT, [None, 1])],
    [helper.make_tensor_value_info("label", TensorProto.STRING, [None]),
     zipmap_output("output_probability", TensorProto.STRING)],
    initializer=[helper.make_tensor("two", TensorProto.INT64, [2], [-1, 2])])
save(graph, "pipeline_strings.onnx")

# 2. A random forest of two trees on FLOAT[N, 3], as skl2onnx writes one with zipmap=False: each leaf holds its
#    class probabilities divided by the number of trees, summed over the trees.
#    tree 0: x0 <= 2.5 ? (leaf [0.9, 0.1]) : (x2 <= 0.5 ? leaf [0.3, 0.7] : leaf [0.0, 1.0])
#    tree 1: x1 <= 10  ? (leaf [0.6, 0.4]) : leaf [0.2, 0.8]
tree_ids = [0, 0, 0, 0, 0, 1, 1, 1]
node_ids = [0, 1, 2, 3, 4, 0, 1, 2]
features = [0, 0, 2, 0, 0, 1, 0, 0]
thresholds = [2.5, 0, 0.5, 0, 0, 10.0, 0, 0]
modes = ["BRANCH_LEQ", "LEAF", "BRANCH_LEQ", "LEAF", "LEAF", "BRANCH_LEQ", "LEAF", "LEAF"]
true_ids = [1, 0, 3, 0, 0, 1, 0, 0]
false_ids = [2, 0, 4, 0, 0, 2, 0, 0]
leaves = [(0, 1, [0.9, 0.1]), (0, 3, [0.3, 0.7]), (0, 4, [0.0, 1.0]), (1, 1, [0.6, 0.4]), (1, 2, [0.2, 0.8])]
w_tree, w_node, w_class, w_value = [], [], [], []
for tree, node, probabilities in leaves:
    for cls, p in enumerate(probabilities):
        w_tree.append(tree); w_node.append(node); w_class.append(cls); w_value.append(p / 2)
forest = helper.make_node(
    "TreeEnsembleClassifier", ["input"], ["label", "probabilities"], domain="ai.onnx.ml",
    classlabels_int64s=[0, 1], nodes_treeids=tree_ids, nodes_nodeids=node_ids, nodes_featureids=features,
    nodes_values=thresholds, nodes_modes=modes, nodes_truenodeids=true_ids, nodes_falsenodeids=false_ids,
    nodes_missing_value_tracks_true=[0] * 8, nodes_hitrates=[1.0] * 8,
    class_treeids=w_tree, class_nodeids=w_node, class_ids=w_class, class_weights=w_value,
    post_transform="NONE")
graph = helper.make_graph(
    [forest], "forest",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, 3])],
    [helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
     helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 2])])
save(graph, "forest_no_zipmap.onnx")

# 3. Three classes, softmax over a linear model on FLOAT[N, 2], no ZipMap (a plain probability tensor).
coefficients = [1.0, -1.0,   0.5, 0.5,   -1.5, 1.0]
intercepts = [0.1, 0.0, -0.3]
graph = helper.make_graph(
    [helper.make_node("LinearClassifier", ["input"], ["label", "probabilities"], domain="ai.onnx.ml",
                      classlabels_strings=["setosa", "versicolor", "virginica"], coefficients=coefficients,
                      intercepts=intercepts, multi_class=0, post_transform="SOFTMAX")],
    "three_classes",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, 2])],
    [helper.make_tensor_value_info("label", TensorProto.STRING, [None]),
     helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 3])])
save(graph, "three_classes.onnx")
print("written under", OUT)

# 4. A rank-1 input, FLOAT[N] (one column without its own axis), unsqueezed by the graph itself.
graph = helper.make_graph(
    [helper.make_node("Unsqueeze", ["x", "axes"], ["column"]),
     helper.make_node("LinearClassifier", ["column"], ["label", "probabilities"], domain="ai.onnx.ml",
                      classlabels_ints=[0, 1], coefficients=[-2.0, 2.0], intercepts=[1.0, -1.0],
                      post_transform="LOGISTIC"),
     helper.make_node("ZipMap", ["probabilities"], ["output_probability"], domain="ai.onnx.ml",
                      classlabels_int64s=[0, 1])],
    "flat_input",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None])],
    [helper.make_tensor_value_info("label", TensorProto.INT64, [None]), zipmap_output("output_probability", TensorProto.INT64)],
    initializer=[helper.make_tensor("axes", TensorProto.INT64, [1], [1])])
save(graph, "flat_input.onnx")

# 5. A batch size fixed at one row, FLOAT[1, 2], as some exporters write it.
graph = helper.make_graph(
    [helper.make_node("LinearClassifier", ["input"], ["label", "probabilities"], domain="ai.onnx.ml",
                      classlabels_ints=[0, 1], coefficients=[-1.0, -1.0, 1.0, 1.0], intercepts=[0.0, 0.0],
                      post_transform="LOGISTIC")],
    "one_row",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 2])],
    [helper.make_tensor_value_info("label", TensorProto.INT64, [1]),
     helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [1, 2])])
save(graph, "one_row.onnx")
print("and the rank-1 and one-row models")
