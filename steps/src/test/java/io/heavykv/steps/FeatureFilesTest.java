package io.heavykv.steps;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks of the .feature files as a whole, which no single scenario can make. */
class FeatureFilesTest {
    private static final Pattern SCENARIO = Pattern.compile("^\\s*(?:Scenario|Scenario Outline|Example|Scenario Template):\\s*(.+?)\\s*$");

    /**
     * The report keys a scenario's history, retries and trend by its name: a second scenario with the same name
     * would be shown as a retry of the first (one of the two verdicts hidden), silently.
     */
    @Test
    void everyScenarioHasANameOfItsOwn() throws IOException, URISyntaxException {
        Path features = Path.of(FeatureFilesTest.class.getResource("/features").toURI());
        Map<String, List<String>> places = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(features)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".feature")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = SCENARIO.matcher(lines.get(i));
                    if (m.matches()) places.computeIfAbsent(m.group(1), name -> new ArrayList<>()).add("features/" + file.getFileName() + ":" + (i + 1));
                }
            }
        }
        assertThat(places).as("scenarios found").isNotEmpty();
        List<String> duplicates = places.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(e -> "\"" + e.getKey() + "\" at " + String.join(" and ", e.getValue())).toList();
        assertThat(duplicates).as("scenario names used more than once (the report would merge them into one test; rename one)")
                .isEmpty();
    }
}
