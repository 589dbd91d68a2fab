package io.heavykv.bench.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.heavykv.bench.Machine;
import io.heavykv.bench.RunRecord;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What llama.cpp measured in one {@code ref.mjs speed} run: a prompt prefilled, then single-token decode steps.
 * Model load and the tool's own warm-up are outside both times.
 */
public record ReferenceSpeed(int promptTokens, int generated, double prefillSeconds, double decodeSeconds) {

    public ReferenceSpeed {
        if (promptTokens < 1 || generated < 1) {
            throw new IllegalArgumentException("a speed run needs tokens on both sides, got " + promptTokens + " prompt and " + generated + " generated");
        }
        if (!(prefillSeconds > 0) || !(decodeSeconds > 0) || Double.isInfinite(prefillSeconds) || Double.isInfinite(decodeSeconds)) {
            throw new IllegalArgumentException("speed run times must be positive and finite, got prefill " + prefillSeconds
                    + " s and decode " + decodeSeconds + " s");
        }
    }

    public double prefillTokS() { return promptTokens / prefillSeconds; }

    public double decodeTokS() { return generated / decodeSeconds; }

    /**
     * This run as a bench record (configuration {@link LlamaCppTool#CONFIG_ID}), so both engines' runs go to the
     * same files and tables; what llama.cpp does not report (memory, attention time, KV figures) is 0.
     */
    public RunRecord record(String suite, String model, String promptId, int repeat) {
        return new RunRecord(suite, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), Machine.key(), model,
                LlamaCppTool.CONFIG_ID, promptId, null, promptTokens, generated, repeat, RunRecord.PASS, null,
                prefillTokS(), decodeTokS(), prefillSeconds * 1e3, decodeSeconds * 1e3 / generated, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Reads the tool's answer; a field missing or of the wrong kind is a broken tool, named with the field. */
    public static ReferenceSpeed fromJson(JsonNode answer) {
        try {
            return new ReferenceSpeed(integer(answer, "prompt_tokens"), integer(answer, "generated"),
                    number(answer, "prefill_seconds"), number(answer, "decode_seconds"));
        } catch (IllegalArgumentException e) {
            throw new ReferenceFailedException("llama.cpp reference speed answer is unusable: " + e.getMessage() + " in " + answer);
        }
    }

    private static int integer(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) throw new IllegalArgumentException("no integer " + field);
        return value.intValue();
    }

    private static double number(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.isNumber()) throw new IllegalArgumentException("no number " + field);
        return value.doubleValue();
    }
}
