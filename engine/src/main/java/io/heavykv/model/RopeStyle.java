package io.heavykv.model;

/**
 * Which two dimensions of a head RoPE rotates together. Both rotate pair i by the same angle; they differ only
 * in where the pair's two elements sit, so weights trained for one give wrong output under the other.
 */
public enum RopeStyle {
    /** Adjacent pairs (2i, 2i + 1): Meta's Llama code and llama.cpp's llama architecture. */
    NORMAL,
    /** Halves (i, i + d/2), d the rotated dimensions: GPT-NeoX and the Hugging Face ports (Qwen2). */
    NEOX;

    /** Index in a head of the first element of pair {@code i} when {@code dimensions} are rotated. */
    int first(int i, int dimensions) {
        return this == NORMAL ? 2 * i : i;
    }

    /** Index in a head of the second element of pair {@code i}. */
    int second(int i, int dimensions) {
        return this == NORMAL ? 2 * i + 1 : i + dimensions / 2;
    }
}
