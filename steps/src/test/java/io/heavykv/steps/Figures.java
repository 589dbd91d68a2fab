package io.heavykv.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.heavykv.bench.BenchJson;
import io.qameta.allure.Allure;
import io.qameta.allure.model.Parameter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Puts the numbers a scenario measured into its Allure result, so a person reading the report sees the
 * figures behind a verdict and not only pass or fail. Attach before asserting: a failing scenario is the
 * one whose figures matter most.
 */
public final class Figures {

    private static final ObjectWriter JSON = BenchJson.MAPPER.writerWithDefaultPrettyPrinter();

    private Figures() {
    }

    /**
     * Named single figures, in the map's iteration order: one two-column table, and each figure also as an Allure parameter so it shows
     * in the scenario's header and in the report's history of that scenario.
     */
    public static void keyValues(String name, Map<String, ?> figures) {
        List<List<?>> rows = new ArrayList<>();
        figures.forEach((key, value) -> {
            rows.add(List.of(key, String.valueOf(value)));
            parameter(key, value);
        });
        table(name, List.of("figure", "value"), rows);
    }

    /**
     * One figure shown in the scenario's header. Allure.parameter cannot be used: for a plain Cucumber
     * scenario (not an outline row) the Allure Cucumber plugin leaves the parameter list unmodifiable.
     */
    public static void parameter(String name, Object value) {
        Allure.getLifecycle().updateTestCase(result -> {
            List<Parameter> parameters = new ArrayList<>(result.getParameters());
            parameters.add(new Parameter().setName(name).setValue(String.valueOf(value)));
            result.setParameters(parameters);
        });
    }

    /** A table as CSV; the report renders text/csv attachments as a table. */
    public static void table(String name, List<String> columns, List<? extends List<?>> rows) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        columns.forEach(schema::addColumn);
        try {
            String csv = BenchJson.CSV.writer(schema.build()).writeValueAsString(rows);
            Allure.addAttachment(name, "text/csv", csv, ".csv");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("table '" + name + "' cannot be written as CSV", e);
        }
    }

    /** Any Jackson-serialisable value (records, maps, lists), pretty-printed. */
    public static void json(String name, Object value) {
        try {
            Allure.addAttachment(name, "application/json", JSON.writeValueAsString(value), ".json");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("figures '" + name + "' cannot be written as JSON", e);
        }
    }

    /** One bar per entry, in the map's iteration order, as a PNG image. */
    public static void barChart(String name, String valueAxis, Map<String, ? extends Number> values) {
        CategoryChart chart = new CategoryChartBuilder().width(800).height(450)
                .title(name).yAxisTitle(valueAxis).build();
        chart.getStyler().setLegendVisible(false);
        chart.addSeries(valueAxis, new ArrayList<>(values.keySet()), new ArrayList<Number>(values.values()));
        png(name, chart);
    }

    private static void png(String name, CategoryChart chart) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            Allure.addAttachment(name, "image/png", new ByteArrayInputStream(png), ".png");
        } catch (IOException e) {
            throw new UncheckedIOException("chart '" + name + "' cannot be rendered as PNG", e);
        }
    }
}
