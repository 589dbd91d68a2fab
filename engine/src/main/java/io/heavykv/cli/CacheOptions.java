package io.heavykv.cli;

import io.heavykv.eviction.FullConfig;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.eviction.KvCacheConfig;
import io.heavykv.eviction.PolicyConfig;
import io.heavykv.eviction.StreamingConfig;
import io.heavykv.eviction.TargetMode;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.lossless.LosslessConfig;
import io.heavykv.lossless.LosslessMode;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** How the KV cache stores, evicts and compresses: one flag per knob, named after the cache config's JSON keys. */
final class CacheOptions {
    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;
    private final Set<String> warned = new HashSet<>();

    @Mixin
    LosslessOptions lossless = new LosslessOptions();

    enum Policy { full, streaming, h2o }

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

    @Option(names = "--kv-policy", paramLabel = "POLICY", defaultValue = "full",
            description = "Eviction policy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Policy policy;

    @Option(names = "--kv-dtype", paramLabel = "TYPE", defaultValue = "FP16",
            description = "KV storage type: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    KvDType dtype;

    @Option(names = "--kv-page-tokens", paramLabel = "N", defaultValue = "32", description = "Tokens per KV page (default: ${DEFAULT-VALUE}).")
    int pageTokens;

    @Option(names = "--kv-positions", paramLabel = "MODE", defaultValue = "absolute", converter = Positions.class,
            description = Positions.DESCRIPTION)
    PositionMode positions;

    @Option(names = "--sink", paramLabel = "N", defaultValue = "4", description = "StreamingLLM: leading tokens kept (default: ${DEFAULT-VALUE}).")
    int sink;

    @Option(names = "--window", paramLabel = "N", defaultValue = "252", description = "StreamingLLM: most recent tokens kept (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--h2o-block-tokens", paramLabel = "N", defaultValue = "4", description = "H2O: tokens per score block (default: ${DEFAULT-VALUE}).")
    int blockTokens;

    @Option(names = "--h2o-ema-alpha", paramLabel = "A", defaultValue = "0.1", description = "H2O: weight of the newest step in the block-score EMA (default: ${DEFAULT-VALUE}).")
    double emaAlpha;

    @Option(names = "--h2o-sink-tokens", paramLabel = "N", defaultValue = "4", description = "H2O: leading tokens never evicted (default: ${DEFAULT-VALUE}).")
    int sinkTokens;

    @Option(names = "--h2o-recent-tokens", paramLabel = "N", defaultValue = "32", description = "H2O: trailing tokens never evicted (default: ${DEFAULT-VALUE}).")
    int recentTokens;

    @Option(names = "--h2o-keep-ratio", paramLabel = "R", defaultValue = "0.3333", description = "H2O: target share of tokens kept (default: ${DEFAULT-VALUE}).")
    double keepRatio;

    @Option(names = "--h2o-target-mode", paramLabel = "MODE", defaultValue = "STATIC", description = "H2O: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    TargetMode targetMode;

    @Option(names = "--h2o-target-lossy", paramLabel = "R", defaultValue = "3.0", description = "H2O adaptive mode: tokens seen / kept to aim at (default: ${DEFAULT-VALUE}).")
    double targetLossy;

    @Option(names = "--h2o-layer-start", paramLabel = "L", defaultValue = "0", description = "H2O: first evicting layer (default: ${DEFAULT-VALUE}).")
    int layerStart;

    @Option(names = "--h2o-layer-end", paramLabel = "L", defaultValue = "-1", description = "H2O: last evicting layer, -1 = last (default: ${DEFAULT-VALUE}).")
    int layerEnd;

    @Option(names = "--h2o-update-interval", paramLabel = "N", defaultValue = "1", description = "H2O: steps between plans (default: ${DEFAULT-VALUE}).")
    int updateInterval;

    @Option(names = "--h2o-trigger-min-tokens", paramLabel = "N", defaultValue = "0", description = "H2O: no eviction below this many tokens (default: ${DEFAULT-VALUE}).")
    int triggerMinTokens;

    @Option(names = "--h2o-slack", paramLabel = "N", defaultValue = "0", description = "H2O: evict only past budget + slack tokens (default: ${DEFAULT-VALUE}).")
    int slack;

    @Option(names = "--h2o-max-keep", paramLabel = "N", defaultValue = "0", description = "H2O: cap on tokens kept per layer, 0 = none; with a cap the cache stops growing (default: ${DEFAULT-VALUE}).")
    int maxKeep;

    KvCacheConfig config() {
        warnIgnored("--h2o-", policy != Policy.h2o, "only with --kv-policy h2o");
        warnIgnored("--sink", policy != Policy.streaming, "only with --kv-policy streaming");
        warnIgnored("--window", policy != Policy.streaming, "only with --kv-policy streaming");
        PolicyConfig chosen = switch (policy) {
            case full -> new FullConfig();
            case streaming -> new StreamingConfig(sink, window);
            case h2o -> h2o();
        };
        return storage().withPolicy(chosen);
    }

    /** The H2O knobs, whatever --kv-policy says (the benchmarks compare policies side by side). */
    H2oConfig h2o() {
        return new H2oConfig(blockTokens, emaAlpha, sinkTokens, recentTokens, keepRatio, targetMode, targetLossy,
                layerStart, layerEnd, updateInterval, triggerMinTokens, slack, maxKeep);
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
