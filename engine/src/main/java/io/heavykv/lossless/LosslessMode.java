package io.heavykv.lossless;

import java.util.Locale;

/**
 * How far the lossless runtime goes. The names are the values of the {@code kv_lossless_runtime_mode} key of cache configs.
 */
public enum LosslessMode {
    /** No lossless work at all. */
    OFF,
    /** Compress a representative sample of eligible pages: the ratio at low cost. */
    PROBE,
    /** Compress every eligible page in the background and keep the raw page too: diagnosis. */
    FULL,
    /** Compress, verify, drop the raw page; restore it before attention reads it. */
    STORE;

    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }

    public static LosslessMode parse(String name) {
        for (LosslessMode m : values()) if (m.name().equalsIgnoreCase(name)) return m;
        throw new IllegalArgumentException("unknown lossless mode '" + name + "', expected off, probe, full or store");
    }
}
