#!/usr/bin/env python3
"""Writes the dequantization fixtures that QuantReferenceTest checks heavykv's kernels against.

The expected floats come from an independent implementation, the numpy dequantizers of the `gguf` package
(llama.cpp's Python library), never from heavykv. Run from the repository root:

    pip install gguf numpy
    python3 engine/src/test/python/quant_reference.py

Each type gets engine/src/test/resources/quant/<TYPE>.bin, little-endian: u32 GGML type id, u32 rows, u32 cols,
then rows x cols elements as raw GGML blocks (row-major), then the same rows x cols as float32 as gguf decodes
them. The blocks are random bytes whose scale fields are overwritten with extreme values: fp16 max and min
normals, subnormals, zeros of both signs, negative scales; the last row holds +-inf and NaN scales.
The output is deterministic (fixed seed), so rerunning leaves the files unchanged unless gguf changes.
"""
import pathlib
import struct

import numpy as np
from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType as T
from gguf.quants import dequantize

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "quant"

# fp16 bit patterns: max normal, min normal, max and min subnormal, +0, -0, -max, a negative subnormal.
EXTREME = [0x7BFF, 0x0400, 0x03FF, 0x0001, 0x0000, 0x8000, 0xFBFF, 0x8001]
NON_FINITE = [0x7C00, 0xFC00, 0x7E00, 0x7C01]  # +inf, -inf, quiet NaN, signalling NaN

# Byte offsets of each type's fp16 scale fields inside a block (what gets the extreme values).
HALF_FIELDS = {
    T.Q4_1: [0, 2], T.Q5_0: [0], T.Q5_1: [0, 2],
    T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208],
}
# (rows, cols): several blocks per row, so the kernels' block loops and row offsets are exercised, and
# enough blocks that every extreme value lands in some scale field of the finite rows.
SHAPES = {
    T.Q4_1: (6, 128), T.Q5_0: (6, 128), T.Q5_1: (6, 128),
    T.Q4_K: (5, 512), T.Q5_K: (5, 512), T.Q6_K: (6, 512), T.BF16: (4, 64),
}


def normal_half(rng):
    """A random finite fp16 of moderate size (either sign)."""
    return int(np.float16(rng.uniform(-4, 4)).view(np.uint16))


def scale_values(qtype, rows, per_row, rng):
    """The fp16 written to each scale field, block by block: the finite rows get every EXTREME value (in a
    random order, the remaining fields random normals), the last row the non-finite values (with two scale
    fields, each beside a normal one, so an infinite d meets a finite min and the other way round)."""
    fields = len(HALF_FIELDS[qtype])
    finite_slots = (rows - 1) * per_row * fields
    assert finite_slots >= len(EXTREME), qtype
    finite = EXTREME + [normal_half(rng) for _ in range(finite_slots - len(EXTREME))]
    finite = [finite[i] for i in rng.permutation(finite_slots)]
    last = [v for bad in NON_FINITE for v in ([bad] if fields == 1 else [bad, normal_half(rng)])]
    last = last[:per_row * fields]
    return np.array(finite + last, dtype="<u2").reshape(rows * per_row, fields)


def blocks_for(qtype, rng):
    rows, cols = SHAPES[qtype]
    block, size = GGML_QUANT_SIZES[qtype]
    per_row = cols // block
    data = rng.integers(0, 256, size=(rows * per_row, size), dtype=np.uint8)
    scales = scale_values(qtype, rows, per_row, rng)
    for b in range(rows * per_row):
        for k, field in enumerate(HALF_FIELDS[qtype]):
            data[b, field:field + 2] = scales[b, k:k + 1].view(np.uint8)
        if qtype in (T.Q4_K, T.Q5_K) and b % 3 == 1:
            data[b, 4:16] = 0xFF  # every 6-bit scale and min at its maximum, 63
        if qtype == T.Q6_K and b % 3 == 1:
            data[b, 192:208] = np.array([-128, 127] * 8, dtype=np.int8).view(np.uint8)
    return data.reshape(rows, per_row * size)


def bf16_for(rng):
    rows, cols = SHAPES[T.BF16]
    # Finite rows: every exponent from subnormal to 2^60 (sums of products stay finite in float32), both signs.
    sign = rng.integers(0, 2, size=(rows, cols), dtype=np.uint16) << 15
    exponent = rng.integers(0, 127 + 61, size=(rows, cols), dtype=np.uint16) << 7
    mantissa = rng.integers(0, 128, size=(rows, cols), dtype=np.uint16)
    bits = sign | exponent | mantissa
    bits[0, :4] = [0x0000, 0x8000, 0x0001, 0x807F]  # zeros and subnormals
    bits[rows - 1, :6] = [0x7F7F, 0xFF7F, 0x7F80, 0xFF80, 0x7FC0, 0x7F81]  # +-max, +-inf, NaNs
    return bits.view(np.uint8).reshape(rows, cols * 2)


def write(qtype, raw):
    rows, cols = SHAPES[qtype]
    with np.errstate(all="ignore"):  # inf * 0 and NaN scales are meant to give NaN
        floats = dequantize(raw, qtype).astype("<f4", copy=False)
    assert floats.shape == (rows, cols), floats.shape
    path = OUT / f"{qtype.name}.bin"
    with open(path, "wb") as f:
        f.write(struct.pack("<III", int(qtype), rows, cols))
        f.write(raw.tobytes())
        f.write(floats.tobytes())
    print(f"{path}: {rows}x{cols}, {path.stat().st_size} bytes")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20260311)
    for qtype in HALF_FIELDS:
        write(qtype, blocks_for(qtype, rng))
    write(T.BF16, bf16_for(rng))


if __name__ == "__main__":
    main()
