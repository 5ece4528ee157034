#!/usr/bin/env python3
# tests/reference/make_safetensors_fixture.py — writes tests/fixtures/reference.safetensors by
# hand, following the safetensors spec (the `safetensors` package is not installed here), from
# PyTorch tensors: u64 little-endian header length, JSON header, packed little-endian data.
# Like the real library it orders the data by (alignment descending, name), which is not Fulcrum's
# name order, and json.dumps escapes the non-ASCII name as \u03b2. It also writes
# fulcrum_layout.safetensors: the same tensors in the layout Fulcrum's writer promises (compact
# JSON, "__metadata__" first, names in byte order, raw UTF-8, space padding to 8 bytes).
# tests/test_serialization.cpp loads both, checks every value, and checks that saving the
# tensors again reproduces fulcrum_layout.safetensors byte for byte.
# Run: /usr/bin/python3 tests/reference/make_safetensors_fixture.py
import json
import os
import struct

import torch

tensors = {
    "weight": torch.tensor([[0.1, -2.5, 3.0], [1e-30, -0.0, 65504.0]], dtype=torch.float32),
    "bias": torch.tensor([0.1, -1.0 / 3.0, 1e300], dtype=torch.float64),
    "labels": torch.tensor([-3, 0, 7, 2**40], dtype=torch.int64),
    "mask": torch.tensor([[0, 1], [255, 128]], dtype=torch.uint8),
    "scalar": torch.tensor(3.25, dtype=torch.float64),
    "empty": torch.zeros(0, 3, dtype=torch.float32),
    "embedding.\u03b2": torch.arange(6, dtype=torch.float32).reshape(3, 2).t(),  # non-contiguous
}
DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.uint8: "U8"}

METADATA = {"format": "pt", "source": "make_safetensors_fixture.py"}


def write(filename, order, dumps):
    header, data, offset = {"__metadata__": METADATA}, b"", 0
    for name in order:
        t = tensors[name].contiguous()
        raw = t.numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        data += raw
        offset += len(raw)
    text = dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", filename)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)
    print(filename, 8 + len(text) + len(data), "bytes; data order:", order)


write("reference.safetensors", sorted(tensors, key=lambda n: (-tensors[n].element_size(), n)), json.dumps)
write("fulcrum_layout.safetensors", sorted(tensors, key=lambda n: n.encode("utf-8")),
      lambda h: json.dumps(h, separators=(",", ":"), ensure_ascii=False))
