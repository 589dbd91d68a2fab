package io.heavykv.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.heavykv.bench.chart.Charts;
import io.heavykv.bench.quality.PerplexityReport;
import io.heavykv.bench.quality.PerplexityResult;
import io.qameta.allure.Allure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Perplexity tables too long for CI, read from the JSON lines `heavykv ppl --out` recorded when they were run
 * ({@code tools/quality/}): shown in the report figure by figure, and held against the README's table.
 */
public final class RecordedQualitySteps {
    static final String REPOSITORY_PROPERTY = "heavykv.repository";
    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private String model;
    private PerplexityReport report;

    @Given("the {word} perplexity runs recorded in {word}")
    public void theRecordedRuns(String modelName, String relative) throws IOException {
        model = modelName;
        Path file = repository().resolve(relative);
        if (!Files.isRegularFile(file)) throw new MissingFixtureException("no recorded perplexity runs at " + file);
        report = merge(file);
        PerplexityResult full = report.rows().getFirst();
        for (PerplexityResult r : report.rows()) {
            Allure.step(String.format(Locale.ROOT, "%s, %d-token windows: %s%s: perplexity %.3f (%+.1f%%), mean KL %.4f over %d tokens",
                    model, report.windowTokens(), r.family(), r.budgetTokens() > 0 ? " at " + r.budgetTokens() + " tokens (" + lossy(r) + "x)" : "",
                    r.perplexity(), 100 * r.perplexityRelative(), r.meanKl(), r.tokensScored()));
        }
        Figures.table(model + " perplexity and KL by policy and budget, " + report.windowTokens() + "-token windows",
                List.of("policy", "budget (tokens/layer)", "lossy", "perplexity", "delta %", "mean KL (nats)", "max KL", "tokens scored"),
                report.rows().stream().map(r -> List.<Object>of(r.family(), r.budgetTokens(), r.budgetTokens() > 0 ? lossy(r) + "x" : "-",
                        r.perplexity(), 100 * r.perplexityRelative(), r.meanKl(), r.maxKl(), r.tokensScored())).toList());
        Allure.addAttachment(model + " perplexity vs KV budget, " + report.windowTokens() + "-token windows", "image/png",
                new ByteArrayInputStream(Charts.perplexityVsBudget(report)), ".png");
        Figures.parameter("full-cache perplexity", full.perplexity());
    }

    @Then("the README's section {string} shows those figures in its rows for {int}-token windows")
    public void theReadmeShowsThem(String section, int window) throws IOException {
        assertThat(report.windowTokens()).as("window of the recorded runs").isEqualTo(window);
        List<String> expected = markdownRows();
        Allure.addAttachment("README rows for " + window + "-token windows, from the records", "text/markdown", String.join("\n", expected), ".md");
        List<String> actual = sectionLines(section).stream().filter(l -> l.startsWith("| " + window + " |")).toList();
        assertThat(actual).as("README rows of '%s' for %d-token windows", section, window).containsExactlyElementsOf(expected);
    }

    /** One row per policy, the budgets (largest first) as column pairs: perplexity with its rise, mean KL. */
    private List<String> markdownRows() {
        TreeSet<Integer> budgets = new TreeSet<>();
        report.rows().forEach(r -> { if (r.budgetTokens() > 0) budgets.add(r.budgetTokens()); });
        Map<String, Map<Integer, PerplexityResult>> byFamily = new LinkedHashMap<>();
        for (PerplexityResult r : report.rows()) byFamily.computeIfAbsent(r.family(), k -> new LinkedHashMap<>()).put(r.budgetTokens(), r);
        List<String> rows = new ArrayList<>();
        byFamily.forEach((family, results) -> {
            StringBuilder row = new StringBuilder("| " + report.windowTokens() + " | " + family + " |");
            for (int budget : budgets.descendingSet()) {
                PerplexityResult r = results.getOrDefault(budget, family.equals("full") ? results.get(0) : null);
                if (r == null) row.append(" not run | |");
                else if (r.budgetTokens() == 0) row.append(String.format(Locale.ROOT, " %.3f | 0 |", r.perplexity()));
                else row.append(String.format(Locale.ROOT, " %.3f (%+.1f%%) | %.4f |", r.perplexity(), 100 * r.perplexityRelative(), r.meanKl()));
            }
            rows.add(row.toString());
        });
        return rows;
    }

    /** The summaries of every run in the file as one report: the full cache's row once, then every other row. */
    private static PerplexityReport merge(Path file) throws IOException {
        List<PerplexityReport> runs = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) continue;
            JsonNode record = JSON.readTree(line);
            if (record.path("kind").asText().equals("summary")) runs.add(JSON.treeToValue(record.get("data"), PerplexityReport.class));
        }
        if (runs.isEmpty()) throw new MissingFixtureException(file + " holds no summary record of a perplexity run");
        PerplexityReport first = runs.getFirst();
        // By label: a configuration run again replaces its earlier row (the runs are deterministic).
        Map<String, PerplexityResult> rows = new LinkedHashMap<>();
        for (PerplexityReport run : runs) {
            PerplexityResult full = run.rows().getFirst();
            if (run.windowTokens() != first.windowTokens() || !run.texts().equals(first.texts())
                    || full.perplexity() != first.rows().getFirst().perplexity()) {
                throw new IllegalStateException(file + ": its runs scored different tokens (window, texts or full-cache perplexity differ)");
            }
            run.rows().forEach(r -> rows.put(r.label(), r));
        }
        return new PerplexityReport(first.windowTokens(), first.positions(), first.texts(), new ArrayList<>(rows.values()));
    }

    private List<String> sectionLines(String title) throws IOException {
        List<String> lines = Files.readAllLines(repository().resolve("README.md"));
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("#+ " + java.util.regex.Pattern.quote(title))) start = i;
        }
        if (start < 0) throw new MissingFixtureException("README.md has no section '" + title + "'");
        int level = lines.get(start).indexOf(' ');
        int end = start + 1;
        while (end < lines.size() && !(lines.get(end).startsWith("#") && lines.get(end).indexOf(' ') <= level)) end++;
        return lines.subList(start + 1, end);
    }

    private long lossy(PerplexityResult r) {
        return Math.round((double) report.windowTokens() / r.budgetTokens());
    }

    private static Path repository() {
        String root = System.getProperty(REPOSITORY_PROPERTY);
        if (root == null || root.isBlank()) {
            throw new EnvironmentUnavailableException("system property " + REPOSITORY_PROPERTY + " (the checkout, set by Maven) is missing");
        }
        return Path.of(root);
    }
}
