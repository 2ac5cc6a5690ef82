"""Makes model.onnx: a tiny encoder-shaped graph whose only purpose is known inputs, outputs and a weight.

`agents model info` and ModelFolderInfo read a model's inputs and outputs from the ONNX protobuf without loading
it; the tests compare what they read with the names, types and shapes written here. The graph is a real, runnable
model (a token embedding lookup), with its weight stored as an initializer before the inputs, so the reader must
seek past weights as it does in large models.

Run with Debian's python3-onnx:  ORT_DISABLE_TELEMETRY=1 /usr/bin/python3 tests/models/tiny-io/make_tiny_io.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

VOCAB, HIDDEN = 64, 8

rng = np.random.default_rng(7)
weight = numpy_helper.from_array(rng.standard_normal((VOCAB, HIDDEN)).astype(np.float32), name="embeddings.weight")

graph = helper.make_graph(
    nodes=[
        helper.make_node("Gather", ["embeddings.weight", "input_ids"], ["gathered"]),
        helper.make_node("Cast", ["attention_mask"], ["mask_float"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask_float", "axes"], ["mask_3d"]),
        helper.make_node("Mul", ["gathered", "mask_3d"], ["last_hidden_state"]),
    ],
    name="tiny_io",
    inputs=[
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", "sequence_length"]),
    ],
    outputs=[helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch_size", "sequence_length", HIDDEN])],
    initializer=[weight, numpy_helper.from_array(np.array([-1], dtype=np.int64), name="axes")],
)
model = helper.make_model(graph, producer_name="agents-tests", opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, os.path.join(os.path.dirname(os.path.abspath(__file__)), "model.onnx"))
