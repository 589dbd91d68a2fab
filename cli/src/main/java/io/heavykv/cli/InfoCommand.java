package io.heavykv.cli;

import io.heavykv.kvcache.KvDType;
import io.heavykv.model.LlamaConfig;
import io.heavykv.runtime.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code heavykv info}: what a model file holds and what its KV cache will cost. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a model: architecture, shape, RoPE, tensor types, KV bytes per token.")
final class InfoCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Engine engine = modelOptions.load()) {
            LlamaConfig c = engine.model().config();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("file", modelOptions.modelPath().toString());
            info.put("model", engine.model().description());
            info.put("architecture", c.architecture().name());
            info.put("dim", c.dim());
            info.put("hidden_dim", c.hiddenDim());
            info.put("layers", c.layers());
            info.put("heads", c.heads());
            info.put("kv_heads", c.kvHeads());
            info.put("head_size", c.headSize());
            info.put("vocab_size", c.vocabSize());
            info.put("context_length", c.contextLength());
            info.put("rope_theta", c.ropeTheta());
            info.put("rope_style", c.rope().style());
            info.put("rope_dimensions", c.rope().dimensions());
            info.put("rope_scaling", c.rope().scaling());
            info.put("qkv_bias", c.qkvBias());
            info.put("sliding_window", c.slidingWindow()); // 0: none
            info.put("rms_eps", c.rmsEps());
            Map<String, Long> bytesByType = new LinkedHashMap<>();
            long[] total = {0};
            engine.model().weights().matrices().forEach(m -> {
                bytesByType.merge(m.type().name(), m.byteSize(), Long::sum);
                total[0] += m.byteSize();
            });
            info.put("weight_bytes_by_type", bytesByType);
            info.put("weight_bytes", total[0]);
            Map<KvDType, Long> kvPerToken = new EnumMap<>(KvDType.class);
            for (KvDType t : KvDType.values()) kvPerToken.put(t, 2L * c.layers() * c.kvDim() * t.bytes());
            info.put("kv_bytes_per_token", kvPerToken);
            info.put("tokenizer_pieces", engine.tokenizer().size());
            if (json) {
                Json.print(System.out, info);
            } else {
                int width = info.keySet().stream().mapToInt(String::length).max().orElse(0);
                info.forEach((k, v) -> System.out.printf("%-" + width + "s  %s%n", k, v));
            }
        }
        return 0;
    }
}
