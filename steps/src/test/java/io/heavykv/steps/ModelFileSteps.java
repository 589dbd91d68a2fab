package io.heavykv.steps;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cucumber.datatable.DataTable;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.qameta.allure.Allure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Steps about the model files themselves, before any engine code reads them. */
public final class ModelFileSteps {

    private final ScenarioContext context;

    public ModelFileSteps(ScenarioContext context) {
        this.context = context;
    }

    @Given("the {word} model directory")
    public void theModelDirectory(String model) {
        Path directory = context.useModel(model);
        Figures.parameter("model directory", directory);
    }

    @Then("its files have these sha256 checksums:")
    public void itsFilesHaveTheseChecksums(DataTable table) throws IOException {
        List<FileCheck> checks = new ArrayList<>();
        for (Map<String, String> row : table.asMaps()) {
            Path file = context.modelFile(row.get("file"));
            String actual = Allure.step("sha256 of " + file.getFileName(), () -> sha256(file));
            checks.add(new FileCheck(row.get("file"), Files.size(file), row.get("sha256"), actual));
        }

        // The expected sums are already in the step's data table; one 64-digit column keeps this one readable.
        Figures.table("model files", List.of("file", "bytes", "sha256 measured", "matches README"),
                checks.stream().map(c -> List.of(c.file(), c.bytes(), c.actualSha256(), c.intact())).toList());
        Figures.json("model files (JSON)", checks);
        Map<String, Double> kib = new LinkedHashMap<>();
        checks.forEach(c -> kib.put(c.file(), c.bytes() / 1024.0));
        Figures.barChart("model file sizes", "KiB", kib);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("files checked", checks.size());
        summary.put("files intact", checks.stream().filter(FileCheck::intact).count());
        Figures.keyValues("summary", summary);

        List<String> damaged = checks.stream().filter(c -> !c.intact())
                .map(c -> c.file() + ": expected sha256 " + c.expectedSha256() + ", found " + c.actualSha256())
                .toList();
        if (!damaged.isEmpty()) {
            // A damaged model file is no engine defect, though every engine scenario on it would fail.
            throw new EnvironmentUnavailableException("model files in " + context.modelDirectory()
                    + " differ from the published checksums:\n" + String.join("\n", damaged));
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK must provide SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** One row of the checksum table, as measured. */
    public record FileCheck(String file, long bytes, String expectedSha256, String actualSha256) {
        @JsonProperty
        public boolean intact() {
            return expectedSha256.equalsIgnoreCase(actualSha256);
        }
    }
}
