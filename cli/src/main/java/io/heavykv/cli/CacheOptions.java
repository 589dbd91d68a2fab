package io.heavykv.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.heavykv.bench.BenchJson;
import io.heavykv.bench.CacheVariant;
import io.heavykv.bench.PolicyJson;
import io.heavykv.eviction.FullConfig;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.eviction.Policies;
import io.heavykv.eviction.PolicyConfig;
import io.heavykv.eviction.PolicyType;
import io.heavykv.eviction.ScheduledConfig;
import io.heavykv.eviction.StreamingConfig;
import io.heavykv.eviction.TargetMode;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.lossless.LosslessConfig;
import io.heavykv.lossless.LosslessMode;
import io.heavykv.runtime.KvCacheConfig;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * How the KV cache stores, evicts and compresses: the policy by name with its settings as JSON keys
 * (--kv-policy-arg), the older per-knob flags as aliases of those keys, and the storage and lossless flags.
 */
final class CacheOptions {
    private static final StreamingConfig STREAMING = StreamingConfig.defaults();
    private static final H2oConfig H2O = H2oConfig.defaults();

    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;
    private final Set<String> warned = new HashSet<>();

    @Mixin
    LosslessOptions lossless = new LosslessOptions();

    /** The --kv-positions names; kvdump shares them. */
    static final class Positions implements ITypeConverter<PositionMode> {
        static final String DESCRIPTION = "absolute: keys rotated by their original position when stored; "
                + "relative: stored unrotated and rotated by cache slot, so generation can run past the trained context; "
                + "pre-rope: stored unrotated and rotated by their original position when read (absolute attention, "
                + "better lossless compression) (default: ${DEFAULT-VALUE}).";

        @Override
        public PositionMode convert(String name) {
            return switch (name) {
                case "absolute" -> PositionMode.ABSOLUTE;
                case "relative" -> PositionMode.CACHE_RELATIVE;
                case "pre-rope" -> PositionMode.ABSOLUTE_PRE_ROPE;
                default -> throw new TypeConversionException("unknown position mode '" + name
                        + "', expected absolute, relative or pre-rope");
            };
        }
    }

    @Option(names = "--kv-policy", paramLabel = "NAME", defaultValue = "full", completionCandidates = PolicyNames.class,
            description = "Eviction policy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); its settings with --kv-policy-arg.")
    String policy;

    @Option(names = "--kv-policy-arg", paramLabel = "KEY=VALUE",
            description = "A setting of the policy, as its JSON key (repeatable), e.g. target_keep_ratio=0.2; `heavykv policies` lists each policy's keys and defaults.")
    List<String> policyArgs = new ArrayList<>();

    /** The registered policy names, for the help text and completion. */
    static final class PolicyNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() { return Policies.all().stream().map(PolicyType::name).iterator(); }
    }

    @Option(names = "--kv-dtype", paramLabel = "TYPE", defaultValue = "FP16",
            description = "KV storage type: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    KvDType dtype;

    @Option(names = "--kv-page-tokens", paramLabel = "N", defaultValue = "32", description = "Tokens per KV page (default: ${DEFAULT-VALUE}).")
    int pageTokens;

    @Option(names = "--kv-positions", paramLabel = "MODE", defaultValue = "absolute", converter = Positions.class,
            description = Positions.DESCRIPTION)
    PositionMode positions;

    // The flags below name one setting each (the --kv-policy-arg key in the alias table); their defaults are the
    // registered policies' (StreamingConfig.defaults(), H2oConfig.defaults()), shown here for the help text.

    @Option(names = "--sink", paramLabel = "N", description = "StreamingLLM: leading tokens kept (default: ${DEFAULT-VALUE}).")
    int sink = STREAMING.sink();

    @Option(names = "--window", paramLabel = "N", description = "StreamingLLM: most recent tokens kept (default: ${DEFAULT-VALUE}).")
    int window = STREAMING.window();

    @Option(names = "--h2o-block-tokens", paramLabel = "N", description = "H2O: tokens per score block (default: ${DEFAULT-VALUE}).")
    int blockTokens = H2O.blockTokens();

    @Option(names = "--h2o-ema-alpha", paramLabel = "A", description = "H2O: weight of the newest step in the block-score EMA (default: ${DEFAULT-VALUE}).")
    double emaAlpha = H2O.emaAlpha();

    @Option(names = "--h2o-sink-tokens", paramLabel = "N", description = "Scoring policies: leading tokens never evicted (H2O default: ${DEFAULT-VALUE}).")
    int sinkTokens = H2O.sinkTokens();

    @Option(names = "--h2o-recent-tokens", paramLabel = "N", description = "Scoring policies: trailing tokens never evicted (H2O default: ${DEFAULT-VALUE}).")
    int recentTokens = H2O.recentTokens();

    @Option(names = "--h2o-keep-ratio", paramLabel = "R", description = "Scoring policies: target share of tokens kept (default: ${DEFAULT-VALUE}).")
    double keepRatio = H2O.schedule().targetKeepRatio();

    @Option(names = "--h2o-target-mode", paramLabel = "MODE", description = "Scoring policies: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    TargetMode targetMode = H2O.schedule().targetMode();

    @Option(names = "--h2o-target-lossy", paramLabel = "R", description = "Adaptive mode: tokens seen / kept to aim at (default: ${DEFAULT-VALUE}).")
    double targetLossy = H2O.schedule().targetLossyRatio();

    @Option(names = "--h2o-layer-start", paramLabel = "L", description = "Scoring policies: first evicting layer (default: ${DEFAULT-VALUE}).")
    int layerStart = H2O.schedule().layerStart();

    @Option(names = "--h2o-layer-end", paramLabel = "L", description = "Scoring policies: last evicting layer, -1 = last (default: ${DEFAULT-VALUE}).")
    int layerEnd = H2O.schedule().layerEnd();

    @Option(names = "--h2o-update-interval", paramLabel = "N", description = "Scoring policies: steps between plans (default: ${DEFAULT-VALUE}).")
    int updateInterval = H2O.schedule().updateInterval();

    @Option(names = "--h2o-trigger-min-tokens", paramLabel = "N", description = "Scoring policies: no eviction below this many tokens (default: ${DEFAULT-VALUE}).")
    int triggerMinTokens = H2O.schedule().triggerMinTokens();

    @Option(names = "--h2o-slack", paramLabel = "N", description = "Scoring policies: evict only past budget + slack tokens (default: ${DEFAULT-VALUE}).")
    int slack = H2O.schedule().slack();

    @Option(names = "--h2o-max-keep", paramLabel = "N", description = "Scoring policies: cap on tokens kept per layer, 0 = none; with a cap the cache stops growing (default: ${DEFAULT-VALUE}).")
    int maxKeep = H2O.schedule().maxKeepTokens();

    /** A flag that names one policy setting, with the value it holds. */
    private record Alias(String flag, String key, Object value) { }

    private List<Alias> aliases() {
        return List.of(new Alias("--sink", "sink", sink), new Alias("--window", "window", window),
                new Alias("--h2o-block-tokens", "block_tokens", blockTokens), new Alias("--h2o-ema-alpha", "ema_alpha", emaAlpha),
                new Alias("--h2o-sink-tokens", "sink_tokens", sinkTokens), new Alias("--h2o-recent-tokens", "recent_tokens", recentTokens),
                new Alias("--h2o-keep-ratio", "target_keep_ratio", keepRatio), new Alias("--h2o-target-mode", "target_mode", targetMode.name()),
                new Alias("--h2o-target-lossy", "target_lossy_ratio", targetLossy), new Alias("--h2o-layer-start", "layer_start", layerStart),
                new Alias("--h2o-layer-end", "layer_end", layerEnd), new Alias("--h2o-update-interval", "update_interval", updateInterval),
                new Alias("--h2o-trigger-min-tokens", "trigger_min_tokens", triggerMinTokens), new Alias("--h2o-slack", "slack", slack),
                new Alias("--h2o-max-keep", "max_keep_tokens", maxKeep));
    }

    KvCacheConfig config() {
        return storage().withPolicy(policyConfig(policy, true));
    }

    /**
     * The settings of policy {@code name}: its registered defaults, then the alias flags given that it has,
     * then the --kv-policy-arg settings. With {@code warn}, alias flags it does not have are reported as
     * ignored (a command running several policies applies each flag where it fits, silently).
     */
    PolicyConfig policyConfig(String name, boolean warn) {
        ObjectNode settings = BenchJson.MAPPER.createObjectNode();
        settings.put("policy", name);
        List<String> keys = PolicyJson.keys(Policies.named(name).name());
        List<String> ignored = new ArrayList<>();
        for (Alias alias : aliases()) {
            if (!given(alias.flag())) continue;
            if (keys.contains(alias.key())) settings.set(alias.key(), BenchJson.MAPPER.valueToTree(alias.value()));
            else ignored.add(alias.flag());
        }
        if (warn && !ignored.isEmpty() && warned.add("--kv-policy")) {
            System.err.println("heavykv: warning: " + String.join(", ", ignored) + ": not a setting of --kv-policy " + name + "; ignored");
        }
        for (String arg : policyArgs) {
            int eq = arg.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--kv-policy-arg '" + arg + "' is not KEY=VALUE");
            String key = arg.substring(0, eq).strip();
            if (warn || keys.contains(key)) settings.set(key, scalar(arg.substring(eq + 1).strip()));
        }
        return PolicyJson.bind(settings, "--kv-policy " + name);
    }

    /** {@code name} at a fixed capacity of {@code budget} tokens per layer (the full cache at none). */
    CacheVariant variant(String name, KvCacheConfig storage, int budget) {
        PolicyConfig config = policyConfig(name, false);
        if (config instanceof FullConfig) return CacheVariant.full(storage);
        if (config instanceof StreamingConfig streaming) return CacheVariant.streaming(storage, streaming.sink(), budget);
        if (config instanceof ScheduledConfig scheduled) return CacheVariant.capacity(storage, scheduled, budget);
        throw new IllegalArgumentException("policy " + name + " has no fixed-capacity form");
    }

    /** Policy names as given to --policies, with "all" standing for every registered policy. */
    static List<String> expand(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (name.equals("all")) Policies.all().forEach(t -> out.add(t.name()));
            else out.add(Policies.named(name).name());
        }
        return out.stream().distinct().toList();
    }

    /** A number or true/false as such, anything else as text. */
    private static JsonNode scalar(String value) {
        try {
            JsonNode node = BenchJson.MAPPER.readTree(value);
            if (node != null && (node.isNumber() || node.isBoolean())) return node;
        } catch (JsonProcessingException e) {
            // Not JSON: a word such as "adaptive" or "max", taken as text.
        }
        return TextNode.valueOf(value);
    }

    private boolean given(String option) {
        if (mixee == null) return false;
        CommandLine cli = mixee.commandLine();
        return cli != null && cli.getParseResult() != null && cli.getParseResult().hasMatchedOption(option);
    }

    /** Storage and positions with the full cache. */
    KvCacheConfig storage() {
        LosslessConfig config = lossless.config();
        warnIgnored("--kv-lossless-", !config.enabled(), "only with --kv-lossless probe, full or store");
        if (config.enabled()) {
            warnIgnored("--kv-lossless-strict", config.mode() != LosslessMode.STORE, "only with --kv-lossless store");
            warnIgnored("--kv-lossless-decode-budget", config.mode() != LosslessMode.STORE, "only with --kv-lossless store");
            warnIgnored("--kv-lossless-probe-every", config.mode() != LosslessMode.PROBE, "only with --kv-lossless probe");
        }
        return new KvCacheConfig(dtype, pageTokens, positions, new FullConfig(), config);
    }

    /**
     * One stderr line, once per flag group, for flags given on the command line that the chosen settings
     * ignore: accepting them silently would let a user believe they took effect.
     */
    private void warnIgnored(String prefix, boolean ignored, String why) {
        if (!ignored || !warned.add(prefix) || mixee == null) return;
        CommandLine cli = mixee.commandLine();
        if (cli == null || cli.getParseResult() == null) return;
        List<String> given = cli.getParseResult().matchedOptions().stream().map(CommandLine.Model.OptionSpec::longestName)
                .filter(name -> name.startsWith(prefix)).distinct().toList();
        if (!given.isEmpty()) System.err.println("heavykv: warning: " + String.join(", ", given) + ": " + why + "; ignored");
    }
}
