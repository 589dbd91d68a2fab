package io.heavykv.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heavykv.bench.BenchJson;
import io.heavykv.bench.PolicyJson;

import io.heavykv.chat.ChatFormat;
import io.heavykv.chat.ChatMessage;
import io.heavykv.chat.ChatTemplates;
import io.heavykv.files.InputFiles;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.GenerationResult;
import io.heavykv.runtime.Generator;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.runtime.Session;
import io.heavykv.sampling.Sampler;
import io.heavykv.tokenizer.StreamingDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code heavykv generate}: llama.cpp-style text generation that prints the prompt, the text, then the run's figures. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from a prompt and report the run's KV and speed figures.")
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    CacheOptions cacheOptions = new CacheOptions();

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", defaultValue = "", description = "Prompt text (default: none, start from BOS).")
    String prompt;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the prompt from a UTF-8 file instead.")
    Path promptFile;

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "256", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--temp", paramLabel = "T", defaultValue = "0.8", description = "Temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "0.9", description = "Nucleus sampling threshold in (0, 1] (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = {"-s", "--seed"}, paramLabel = "N", defaultValue = "-1", description = "Sampling seed; -1 = from the clock (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-c", "--ctx"}, paramLabel = "N", defaultValue = "0", description = "Context length; 0 = the model's trained context (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = {"-b", "--batch"}, paramLabel = "N", defaultValue = "64", description = "Prompt tokens per prefill step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--kv-lossless-recompute",
            description = "Store mode: when a compressed page's frame does not decode, rebuild the cache by running the sequence again instead of ending it.")
    boolean recompute;

    @Option(names = "--chat", description = "Wrap the prompt as a user message in the model's chat template and open the assistant's turn.")
    boolean chat;

    @Option(names = "--system", paramLabel = "TEXT", description = "With --chat: a system message before the prompt.")
    String system;

    @Option(names = "--chat-template", paramLabel = "NAME",
            description = "With --chat: the template to use instead of the model's own (chatml, llama3, llama2, llama2-sys, "
                    + "llama2-sys-bos, llama2-sys-strip, mistral-v3, mistral-v7).")
    String chatTemplate;

    @Option(names = "--json", description = "Print one JSON object (text and figures) instead of text.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print only the text: no figures, no progress.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        String text = promptFile != null ? InputFiles.readText(promptFile, "prompt file") : prompt;
        if (!chat && (system != null || chatTemplate != null)) {
            throw new IllegalArgumentException("--system and --chat-template shape a chat prompt: add --chat");
        }
        if (chat) text = chatPrompt(text);
        long usedSeed = seed == -1 ? Math.max(1, System.nanoTime() & Long.MAX_VALUE) : seed;
        Sampler sampler = Sampler.of(temperature, topP, usedSeed);
        PrintStream out = System.out;
        try (Engine engine = modelOptions.load();
             Session session = engine.openSession(cacheOptions.config(), context, batch)) {
            session.recomputeLostPages(recompute);
            // As llama.cpp reads a typed prompt: BOS if the model wants one, chat markers as their tokens.
            int[] promptTokens = engine.tokenizer().tokenize(text, true, true);
            if (promptTokens.length == 0) {
                throw new IllegalArgumentException("the prompt is empty and this model adds no BOS token: give it some text");
            }
            StreamingDecoder decoder = engine.tokenizer().newStreamingDecoder();
            StringBuilder promptText = new StringBuilder();
            for (int token : promptTokens) promptText.append(decoder.next(token));
            StringBuilder generatedText = new StringBuilder();
            // The prompt is echoed once prefill has succeeded, so a refused prompt prints only the error.
            boolean[] echoed = {json};
            Generator generator = new Generator(session, sampler, engine::endsSequence);
            GenerationResult result;
            try (Progress progress = Progress.start("prefill", promptTokens.length, quiet || json)) {
                result = generator.generate(promptTokens, tokens, progress::update, (previous, token) -> {
                    progress.close();
                    if (!echoed[0]) {
                        out.print(promptText);
                        echoed[0] = true;
                    }
                    String piece = decoder.next(token);
                    generatedText.append(piece);
                    if (!json) {
                        out.print(piece);
                        out.flush();
                    }
                });
            }
            if (!echoed[0]) out.print(promptText);
            String tail = decoder.finish();
            generatedText.append(tail);
            if (!json) {
                out.println(tail);
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", modelOptions.modelPath().toString());
            report.put("prompt", text);
            report.put("text", generatedText.toString());
            report.put("prompt_tokens", promptTokens.length);
            report.put("generated_tokens", result.generated().length);
            report.put("stop_reason", result.stopReason().name().toLowerCase());
            report.put("seed", usedSeed);
            KvCacheConfig cache = cacheOptions.config();
            // The policy as its settings are written (name and flat keys), so the report can be fed back as a config.
            ObjectNode kvCache = BenchJson.MAPPER.valueToTree(cache);
            kvCache.set("policy", PolicyJson.settings(cache.policy()));
            report.put("kv_cache", kvCache);
            report.put("figures", session.figures());
            if (json) {
                Json.print(out, report);
            } else if (!quiet) {
                FigureTable.print(System.err, session.figures());
            }
        }
        return 0;
    }

    /** The prompt as llama.cpp renders a one-question chat in the model's format: system, user, assistant's turn. */
    private String chatPrompt(String question) throws java.io.IOException {
        ChatFormat format = ChatTemplates.formatOf(modelOptions.modelPath(), Optional.ofNullable(chatTemplate));
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) messages.add(ChatMessage.system(system));
        messages.add(ChatMessage.user(question));
        return format.render(messages, true);
    }
}
