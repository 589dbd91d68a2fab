package io.heavykv.model;

import java.util.Arrays;

/**
 * One tensor's entry in a GGUF header. {@code dims[0]} is the fastest-varying dimension (columns);
 * {@code offset} is relative to the start of the data section. The type is kept as GGML's raw id so a
 * file may carry tensors of types the engine cannot compute with, as long as it never needs them.
 */
public record GgufTensorInfo(String name, long[] dims, int ggmlType, long offset) {
    public GgufTensorInfo {
        dims = dims.clone();
    }

    @Override
    public long[] dims() { return dims.clone(); }

    public long elements() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    public String shape() { return Arrays.toString(dims); }
}
