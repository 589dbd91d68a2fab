package io.heavykv.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * The project's one JSON and CSV configuration (record files, settings files, the CLI's {@code --json} output,
 * the reference tool's replies): snake_case keys from record components. Readers ignore fields they do not
 * know, so files written by a newer heavykv (more figures) still load; settings files are read strictly
 * ({@link #SETTINGS}, {@link StrictJson}, {@link PolicyJson}).
 */
public final class BenchJson {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Settings name enum values in any case ("adaptive", "ADAPTIVE").
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    /**
     * Reads hand-written settings (presets, configurations, prompt manifests): a key given twice is an error,
     * not a silent "last one wins".
     */
    public static final ObjectReader SETTINGS = MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * Columns in record order (CSV mappers sort alphabetically by default); empty cells read back as null, so
     * absent lossless figures and errors survive a CSV round trip.
     */
    public static final CsvMapper CSV = (CsvMapper) CsvMapper.builder()
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(CsvParser.Feature.EMPTY_STRING_AS_NULL)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static final CsvSchema RECORD_SCHEMA = csvSchema(RunRecord.class, true);

    static CsvSchema csvSchema(Class<?> type, boolean header) {
        CsvSchema schema = CSV.schemaFor(type);
        return header ? schema.withHeader() : schema.withoutHeader();
    }

    private BenchJson() {
    }

    /** Every non-blank line of a JSON-lines file as a {@code type}; a bad line is an error naming the file, line and {@code what}. */
    public static <T> java.util.List<T> readLines(java.nio.file.Path file, Class<T> type, String what) throws java.io.IOException {
        java.util.List<String> lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
        java.util.List<T> values = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                values.add(MAPPER.readValue(lines.get(i), type));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new java.io.IOException(file + " line " + (i + 1) + " is not " + what + ": " + e.getOriginalMessage(), e);
            }
        }
        return values;
    }
}
