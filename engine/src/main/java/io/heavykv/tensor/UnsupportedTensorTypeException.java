package io.heavykv.tensor;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** A model file uses a GGML tensor type the engine cannot compute with. */
public final class UnsupportedTensorTypeException extends IllegalArgumentException {
    /** GGML's names for the type ids it defines that the engine has no kernels for, so errors can name them. */
    private static final Map<Integer, String> OTHER_GGML_TYPES = Map.ofEntries(
            Map.entry(9, "Q8_1"), Map.entry(10, "Q2_K"), Map.entry(11, "Q3_K"), Map.entry(15, "Q8_K"),
            Map.entry(16, "IQ2_XXS"), Map.entry(17, "IQ2_XS"), Map.entry(18, "IQ3_XXS"), Map.entry(19, "IQ1_S"),
            Map.entry(20, "IQ4_NL"), Map.entry(21, "IQ3_S"), Map.entry(22, "IQ2_S"), Map.entry(23, "IQ4_XS"),
            Map.entry(24, "I8"), Map.entry(25, "I16"), Map.entry(26, "I32"), Map.entry(27, "I64"),
            Map.entry(28, "F64"), Map.entry(29, "IQ1_M"), Map.entry(34, "TQ1_0"), Map.entry(35, "TQ2_0"),
            Map.entry(39, "MXFP4"), Map.entry(40, "NVFP4"), Map.entry(41, "Q1_0"));

    public UnsupportedTensorTypeException(int ggmlId) {
        super("unsupported " + describe(ggmlId) + " (supported: " + supported() + ")");
    }

    /** The same, naming the tensor that has the type. */
    public UnsupportedTensorTypeException(String tensor, int ggmlId) {
        super("tensor " + tensor + " has unsupported " + describe(ggmlId) + " (supported: " + supported() + ")");
    }

    private static String describe(int ggmlId) {
        String name = OTHER_GGML_TYPES.get(ggmlId);
        return name != null ? "GGML tensor type " + name + " (id " + ggmlId + ")" : "GGML tensor type id " + ggmlId;
    }

    private static String supported() {
        return Arrays.stream(TensorType.values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
