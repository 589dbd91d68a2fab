package io.heavykv.steps;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.heavykv.runtime.Engine;
import io.heavykv.testing.LlamaCppVocabSuites;
import io.heavykv.testing.SharedModels;
import io.heavykv.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps that hold heavykv's tokenizers against llama.cpp's own tokenizer suites. */
public final class TokenizerSteps {
    private Tokenizer tokenizer;
    private List<LlamaCppVocabSuites.Case> cases;
    private final List<String> mismatches = new ArrayList<>();

    @Given("llama.cpp's tokenizer suite {word}")
    public void llamaCppsTokenizerSuite(String suite) throws Exception {
        Path gguf = SharedModels.assumeShared(LlamaCppVocabSuites.DIR + suite + ".gguf");
        tokenizer = Engine.loadTokenizer(gguf, Optional.empty());
        cases = LlamaCppVocabSuites.read(gguf);
    }

    @When("every input is tokenized as llama.cpp's test does, without BOS and with special pieces as text")
    public void everyInputIsTokenized() {
        for (LlamaCppVocabSuites.Case c : cases) {
            int[] ids = tokenizer.tokenize(c.input(), false, false);
            if (!Arrays.equals(ids, c.expected())) {
                mismatches.add(c.input() + " -> " + Arrays.toString(ids) + ", llama.cpp " + Arrays.toString(c.expected()));
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("cases", cases.size());
        figures.put("passed", cases.size() - mismatches.size());
        Figures.keyValues("tokenizer suite", figures);
    }

    @Then("every input gives llama.cpp's ids")
    public void everyInputGivesLlamaCppsIds() {
        assertThat(cases).as("cases in the suite").isNotEmpty();
        assertThat(mismatches).as("inputs whose ids differ from llama.cpp's").isEmpty();
    }
}
