package io.heavykv.lossless;

import java.util.Locale;

/** Which layers' pages the lossless runtime may compress ({@code kv_lossless_scope}). */
public enum LosslessScope {
    /** The first {@code frontN} layers. */
    FRONT_N,
    /** The layers the eviction policy evicts: the pages H2O kept. */
    H2O_KEPT,
    /** Both. */
    FRONT_N_AND_H2O_KEPT;

    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }

    /** Accepts the printed names and the spelling {@code front_n+h2o_kept} that older configs use. */
    public static LosslessScope parse(String name) {
        String normal = name.trim().replace('+', '_').replace("_and_", "_").toUpperCase(Locale.ROOT);
        if (normal.equals("FRONT_N_H2O_KEPT")) return FRONT_N_AND_H2O_KEPT;
        for (LosslessScope s : values()) if (s.name().equals(normal)) return s;
        throw new IllegalArgumentException("unknown lossless scope '" + name + "', expected front_n, h2o_kept or front_n_and_h2o_kept");
    }

    boolean includesFront() { return this != H2O_KEPT; }

    boolean includesKept() { return this != FRONT_N; }
}
