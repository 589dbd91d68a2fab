package io.heavykv.cli;

import io.heavykv.bench.BenchConfig;
import io.heavykv.bench.Presets;
import io.heavykv.eviction.FullConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The configurations a measuring command runs: from the --kv-* flags or JSON files, plus an optional full-cache baseline. */
final class ConfigOptions {
    static final String BASELINE = "baseline";

    @Mixin
    CacheOptions cacheOptions = new CacheOptions();

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the configuration given by the --kv-* flags (default: the policy).")
    String name;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configurations from a JSON file (one object, a list, or a preset) instead of the --kv-* flags; repeatable.")
    List<Path> configFiles = new ArrayList<>();

    @Option(names = "--with-baseline", description = "Also run a full-cache configuration named 'baseline' (the same-batch decode baseline).")
    boolean withBaseline;

    List<BenchConfig> configs() throws IOException {
        List<BenchConfig> configs = new ArrayList<>();
        if (withBaseline) configs.add(new BenchConfig(BASELINE, cacheOptions.config().withPolicy(new FullConfig())));
        if (configFiles.isEmpty()) {
            configs.add(new BenchConfig(name != null ? name : cacheOptions.policy, cacheOptions.config()));
        } else {
            for (Path file : configFiles) configs.addAll(Presets.loadConfigs(file));
        }
        return configs;
    }
}
