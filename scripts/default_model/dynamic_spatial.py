#!/usr/bin/python3
"""Make the default image tower's spatial dims dynamic, changing nothing else.

The tower is fully convolutional (stride 16: a 48x48 input gives a 3x3 grid), but torch.onnx.export
fixed the input's height/width and patch_embeds' grid at the dummy's size, so ONNX Runtime refuses
any other size. Match localisation runs it larger (96x96 gives a 6x6 grid). This rewrites only those
four dims of the graph's declared input/output shapes to named, symbolic ones; every node and weight
is kept byte for byte, so the function at 48x48 (and the model id) is unchanged.

    /usr/bin/python3 scripts/default_model/dynamic_spatial.py [models/default/image.onnx]

train.py exports with the same dynamic axes, so a retrain needs no second step; running this on an
already dynamic model changes nothing.
"""
import hashlib
import sys

import onnx

# The names train.py's export gives the same axes.
INPUT_AXES = {2: "height", 3: "width"}
GRID_AXES = {1: "grid_rows", 2: "grid_cols"}


def weights_digest(model):
    digest = hashlib.sha256()
    for tensor in model.graph.initializer:
        digest.update(tensor.name.encode())
        digest.update(tensor.SerializeToString())
    for node in model.graph.node:
        digest.update(node.SerializeToString())
    return digest.hexdigest()


def make_dynamic(value_info, axes):
    dims = value_info.type.tensor_type.shape.dim
    for index, name in axes.items():
        dims[index].Clear()
        dims[index].dim_param = name


def main(path):
    model = onnx.load(path)
    before = weights_digest(model)
    graph_inputs = {v.name: v for v in model.graph.input}
    graph_outputs = {v.name: v for v in model.graph.output}
    make_dynamic(graph_inputs["pixel_values"], INPUT_AXES)
    make_dynamic(graph_outputs["patch_embeds"], GRID_AXES)
    # Inferred intermediate shapes would still say 48x48; drop them (the exported file has none).
    del model.graph.value_info[:]
    onnx.checker.check_model(model)
    if weights_digest(model) != before:
        raise SystemExit(path + ": nodes or weights changed; refusing to save")
    onnx.save(model, path)
    for v in list(model.graph.input) + list(model.graph.output):
        dims = [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
        print(f"{v.name}: {dims}")
    print(f"{path}: spatial dims dynamic, nodes and weights unchanged (sha256 {before[:16]})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "models/default/image.onnx")
