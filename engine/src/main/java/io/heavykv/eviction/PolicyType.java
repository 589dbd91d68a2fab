package io.heavykv.eviction;

/**
 * A registered policy: the name configs and the CLI use, its configuration type and the configuration a
 * name alone stands for.
 */
public record PolicyType(String name, Class<? extends PolicyConfig> configType, PolicyConfig defaults, String summary) {

    public PolicyType {
        if (!configType.isInstance(defaults)) {
            throw new IllegalArgumentException("policy " + name + ": defaults are a " + defaults.getClass().getSimpleName()
                    + ", not a " + configType.getSimpleName());
        }
    }
}
