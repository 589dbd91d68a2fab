package io.heavykv.lossless;

import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.runtime.Session;
import io.heavykv.testing.SharedModels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs stories260K over a bundled prompt and records the logits' float bits after the prefill and after every
 * decode step. A run given the tokens of another decodes exactly those (teacher forcing), so two traces
 * compare step by step whatever either would have sampled.
 */
record LogitTrace(List<int[]> logitBits, int[] tokens) {
    static final int CONTEXT = 1024;

    static Engine stories260K() throws IOException {
        return Engine.load(SharedModels.defaultModel().resolve("stories260K.bin"), Optional.empty());
    }

    static int[] prompt(Engine engine, String name) throws IOException {
        try (InputStream in = LogitTrace.class.getResourceAsStream("/heavykv/prompts/" + name)) {
            if (in == null) throw new IllegalStateException("bundled prompt " + name + " is missing");
            return engine.tokenizer().encode(new String(in.readAllBytes(), StandardCharsets.UTF_8), true, false);
        }
    }

    /**
     * @param forced    tokens to decode, or null to decode greedily
     * @param afterStep called after the prefill and after every decode step, with the session
     */
    static LogitTrace run(Engine engine, KvCacheConfig config, int[] prompt, int steps, int[] forced,
                          Consumer<Session> afterStep) {
        try (Session session = engine.openSession(config, CONTEXT, 64)) {
            List<int[]> bits = new ArrayList<>();
            int[] tokens = new int[steps];
            float[] logits = session.prefill(prompt);
            for (int s = 0; s <= steps; s++) {
                bits.add(bitsOf(logits));
                afterStep.accept(session);
                if (s == steps) break;
                tokens[s] = forced != null ? forced[s] : argmax(logits);
                logits = session.decode(tokens[s]);
            }
            return new LogitTrace(bits, tokens);
        }
    }

    static int[] bitsOf(float[] logits) {
        int[] bits = new int[logits.length];
        for (int i = 0; i < logits.length; i++) bits[i] = Float.floatToRawIntBits(logits[i]);
        return bits;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    static Path model() { return SharedModels.defaultModel().resolve("stories260K.bin"); }
}
