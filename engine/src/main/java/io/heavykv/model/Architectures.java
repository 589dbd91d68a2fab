package io.heavykv.model;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The architectures heavykv runs, by their GGUF name. Names, keys and pairings are llama.cpp's. */
public final class Architectures {
    /** llama.cpp's tensor names, which every architecture here shares. */
    private static final Map<LlamaTensor, String> LLAMA_CPP_TENSORS = tensorNames();

    /** Llama 1-3 (TinyLlama, SmolLM2, Llama 3 with rope_freqs), and most Mistral files, which llama.cpp converts as llama. */
    public static final Architecture LLAMA =
            new Architecture("llama", "llama.", RopeStyle.NORMAL, Architecture.Bias.OPTIONAL, LLAMA_CPP_TENSORS);
    /** Mistral written under its own name by some converters: the llama layout with mistral.* keys. */
    public static final Architecture MISTRAL =
            new Architecture("mistral", "mistral.", RopeStyle.NORMAL, Architecture.Bias.OPTIONAL, LLAMA_CPP_TENSORS);
    /** Qwen2 and Qwen2.5: biases on Q, K and V, and RoPE over halves. */
    public static final Architecture QWEN2 =
            new Architecture("qwen2", "qwen2.", RopeStyle.NEOX, Architecture.Bias.REQUIRED, LLAMA_CPP_TENSORS);

    public static final List<Architecture> SUPPORTED = List.of(LLAMA, MISTRAL, QWEN2);

    private Architectures() {
    }

    /** The architecture a file names, or a clear refusal listing the supported ones. */
    public static Architecture named(String name, Path file) {
        for (Architecture a : SUPPORTED) {
            if (a.name().equals(name)) return a;
        }
        throw new InvalidModelException(file + ": architecture " + (name == null ? "(missing general.architecture)" : "'" + name + "'")
                + " is not supported; heavykv runs " + SUPPORTED.stream().map(Architecture::name).collect(Collectors.joining(", ")));
    }

    private static Map<LlamaTensor, String> tensorNames() {
        Map<LlamaTensor, String> names = new EnumMap<>(LlamaTensor.class);
        names.put(LlamaTensor.TOKEN_EMBEDDING, "token_embd.weight");
        names.put(LlamaTensor.OUTPUT_NORM, "output_norm.weight");
        names.put(LlamaTensor.OUTPUT, "output.weight");
        names.put(LlamaTensor.ROPE_FREQS, "rope_freqs.weight");
        names.put(LlamaTensor.ATTENTION_NORM, "blk.%d.attn_norm.weight");
        names.put(LlamaTensor.WQ, "blk.%d.attn_q.weight");
        names.put(LlamaTensor.WK, "blk.%d.attn_k.weight");
        names.put(LlamaTensor.WV, "blk.%d.attn_v.weight");
        names.put(LlamaTensor.Q_BIAS, "blk.%d.attn_q.bias");
        names.put(LlamaTensor.K_BIAS, "blk.%d.attn_k.bias");
        names.put(LlamaTensor.V_BIAS, "blk.%d.attn_v.bias");
        names.put(LlamaTensor.WO, "blk.%d.attn_output.weight");
        names.put(LlamaTensor.FFN_NORM, "blk.%d.ffn_norm.weight");
        names.put(LlamaTensor.GATE, "blk.%d.ffn_gate.weight");
        names.put(LlamaTensor.DOWN, "blk.%d.ffn_down.weight");
        names.put(LlamaTensor.UP, "blk.%d.ffn_up.weight");
        return names;
    }
}
