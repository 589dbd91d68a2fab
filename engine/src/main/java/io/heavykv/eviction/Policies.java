package io.heavykv.eviction;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every eviction policy by name. A new policy is its configuration (a record implementing
 * {@link PolicyConfig}) plus one line here: the CLI ({@code --kv-policy NAME --kv-policy-arg key=value}),
 * the JSON configs and presets, ppl, and the invariant tests find it through this registry.
 */
public final class Policies {
    private static final Map<String, PolicyType> TYPES = new LinkedHashMap<>();

    static {
        register("full", FullConfig.class, new FullConfig(), "keep every token");
        register("streaming", StreamingConfig.class, StreamingConfig.defaults(), "StreamingLLM: attention sinks and a recent window");
        register("h2o", H2oConfig.class, H2oConfig.defaults(), "H2O: heavy hitters by accumulated attention");
        register("snapkv", SnapKvConfig.class, SnapKvConfig.defaults(), "SnapKV: the prompt's last queries vote at prefill");
        register("pyramidkv", PyramidKvConfig.class, PyramidKvConfig.defaults(), "PyramidKV: SnapKV with budgets shrinking with depth");
        register("tova", TovaConfig.class, TovaConfig.defaults(), "TOVA: what the current query attends least goes");
        register("adakv", AdaKvConfig.class, AdaKvConfig.defaults(), "AdaKV: H2O scores per KV head, the layer's budget split across heads");
    }

    private Policies() {
    }

    private static <C extends PolicyConfig> void register(String name, Class<C> type, C defaults, String summary) {
        TYPES.put(name, new PolicyType(name, type, defaults, summary));
    }

    /** In registration order. */
    public static Collection<PolicyType> all() { return Collections.unmodifiableCollection(TYPES.values()); }

    /** The policy of that name; the error lists the names there are. */
    public static PolicyType named(String name) {
        PolicyType type = TYPES.get(name);
        if (type == null) {
            throw new IllegalArgumentException("unknown KV policy '" + name + "' (known: " + String.join(", ", TYPES.keySet()) + ")");
        }
        return type;
    }

    /** The registered name of a configuration's policy. */
    public static String nameOf(PolicyConfig config) {
        for (PolicyType type : TYPES.values()) {
            if (type.configType() == config.getClass()) return type.name();
        }
        throw new IllegalArgumentException(config.getClass().getSimpleName() + " is not a registered policy");
    }
}
