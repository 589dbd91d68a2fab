package io.heavykv.tensor;

/** A model file uses a GGML tensor type the engine cannot compute with. */
public final class UnsupportedTensorTypeException extends IllegalArgumentException {
    public UnsupportedTensorTypeException(int ggmlId) {
        super("unsupported GGML tensor type id " + ggmlId + " (supported: F32, F16, Q8_0, Q4_0)");
    }

    /** The same, naming the tensor that has the type. */
    public UnsupportedTensorTypeException(String tensor, int ggmlId) {
        super("tensor " + tensor + " has unsupported GGML tensor type id " + ggmlId + " (supported: F32, F16, Q8_0, Q4_0)");
    }
}
