package io.heavykv.testing;

import io.heavykv.codec.eval.KvCapture;
import io.heavykv.codec.eval.KvDump;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.runtime.Session;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real KV for codec tests: stories260K prefilled with a bundled prompt, captured as a {@link KvDump}. A
 * prefill takes seconds, so captures are kept per (prompt, cache config) for the test JVM.
 */
public final class RealKv {
    private static final Map<String, KvDump> CACHE = new ConcurrentHashMap<>();

    private RealKv() {}

    /** @param prompt a file of {@code heavykv/prompts}, e.g. {@code prompt_512_1.txt} */
    public static KvDump capture(String prompt, KvCacheConfig config) {
        return CACHE.computeIfAbsent(prompt + " " + config, k -> prefill(prompt, config));
    }

    /** The token ids the prompt is prefilled with (BOS first). */
    public static int[] tokens(String prompt) {
        try (Engine engine = engine()) {
            return engine.tokenizer().encode(text(prompt), true, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KvDump prefill(String prompt, KvCacheConfig config) {
        try (Engine engine = engine()) {
            int[] tokens = engine.tokenizer().encode(text(prompt), true, false);
            try (Session session = engine.openSession(config, Math.max(4096, tokens.length), 64)) {
                session.prefill(tokens);
                return KvCapture.capture(session.cache(), "stories260K");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Engine engine() throws IOException {
        return Engine.load(SharedModels.defaultModel().resolve("stories260K.bin"), Optional.empty());
    }

    private static String text(String prompt) {
        try (InputStream in = RealKv.class.getResourceAsStream("/heavykv/prompts/" + prompt)) {
            if (in == null) throw new IllegalArgumentException("no bundled prompt " + prompt);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
