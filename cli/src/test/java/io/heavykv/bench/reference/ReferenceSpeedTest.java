package io.heavykv.bench.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.heavykv.bench.BenchJson;
import io.heavykv.bench.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@Timeout(60)
class ReferenceSpeedTest {

    private static JsonNode json(String text) throws Exception {
        return BenchJson.MAPPER.readTree(text);
    }

    @Test
    void readsTheToolsAnswerAndRecordsItAsALlamaCppRun() throws Exception {
        // What ref.mjs speed printed for a 128-token prompt prefilled in 2 s and 32 decode steps in 4 s.
        ReferenceSpeed speed = ReferenceSpeed.fromJson(json("""
                {"command":"speed","model":"m.gguf","threads":2,"kv_type":"F16","bos":1,"eos":2,"prompt_tokens":128,"generated":32,
                 "prefill_seconds":2.0,"prefill_tok_s":64.0,"decode_seconds":4.0,"decode_tok_s":8.0}"""));
        assertThat(speed.prefillTokS()).isEqualTo(64.0);
        assertThat(speed.decodeTokS()).isEqualTo(8.0);
        RunRecord r = speed.record("bench", "m.gguf", "random:128", 3);
        assertThat(r.configId()).isEqualTo("llama.cpp");
        assertThat(r.passed()).isTrue();
        assertThat(r.repeat()).isEqualTo(3);
        assertThat(r.promptTokens()).isEqualTo(128);
        assertThat(r.generatedTokens()).isEqualTo(32);
        assertThat(r.ttftMs()).isCloseTo(2000, within(1e-9));
        assertThat(r.tpotMs()).isCloseTo(125, within(1e-9));
        assertThat(r.hasLossless()).isFalse();
    }

    @Test
    void anAnswerWithoutTheTimesNamesTheMissingField() throws Exception {
        assertThatThrownBy(() -> ReferenceSpeed.fromJson(json("{\"prompt_tokens\":128,\"generated\":32,\"prefill_seconds\":2.0}")))
                .isInstanceOf(ReferenceFailedException.class).hasMessageContaining("decode_seconds");
        assertThatThrownBy(() -> ReferenceSpeed.fromJson(json("{\"prompt_tokens\":\"many\",\"generated\":32,\"prefill_seconds\":2.0,\"decode_seconds\":1}")))
                .isInstanceOf(ReferenceFailedException.class).hasMessageContaining("prompt_tokens");
    }

    @Test
    void timesThatAreNotPositiveAreRefused() throws Exception {
        assertThatThrownBy(() -> ReferenceSpeed.fromJson(json("{\"prompt_tokens\":128,\"generated\":32,\"prefill_seconds\":0,\"decode_seconds\":1}")))
                .isInstanceOf(ReferenceFailedException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new ReferenceSpeed(128, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
