package io.heavykv.bench;

import io.heavykv.bench.chart.Charts;
import io.heavykv.bench.quality.PerplexityReport;
import io.heavykv.bench.quality.PerplexityResult;
import io.heavykv.bench.stress.StressPoint;
import io.heavykv.bench.stress.StressReport;
import io.heavykv.bench.stress.StressRun;
import io.heavykv.kvcache.PositionMode;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChartsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static StressReport stress() {
        StressRun full = new StressRun("full", "full", 0, 10, List.of(point(1024, 1_000_000), point(2048, 2_000_000)), 0, 2_000_000, 2048, 100);
        StressRun h2o = new StressRun("h2o_4_32_256", "h2o", 256, 10, List.of(point(1024, 200_000), point(2048, 200_000)), 0, 200_000, 2048, 120);
        StressRun over = new StressRun("x", "full", 0, 10, List.of(point(1024, 1_000_000)), 1500, 1_500_000, 1500, 90);
        return new StressReport("absolute", 1_400_000, List.of(1024, 2048), List.of(full, h2o, over));
    }

    private static StressPoint point(int tokens, long bytes) {
        return new StressPoint(tokens, bytes, tokens, 0.5, 100_000_000, 120_000_000);
    }

    private static PerplexityResult row(String label, String family, int budget, double ppl) {
        return new PerplexityResult(label, family, budget, 1, 100, Math.log(ppl), ppl, 0, 0, 0, 0, 1, 1, 1, budget, 0);
    }

    @Test
    void everyChartIsAPngThatDecodes() throws IOException {
        PerplexityReport ppl = new PerplexityReport(512, PositionMode.ABSOLUTE, List.of("t"), List.of(
                row("full", "full", 0, 7.7), row("streaming_4_92", "streaming", 96, 8.0), row("h2o_4_32_96", "h2o", 96, 7.9),
                row("streaming_4_252", "streaming", 256, 7.75), row("h2o_4_32_256", "h2o", 256, 7.74), row("r", "h2o-ratio", 0, 8)));
        for (byte[] png : List.of(Charts.kvMemoryVsLength(stress()), Charts.tpotVsLength(stress()), Charts.perplexityVsBudget(ppl))) {
            assertThat(png).startsWith(PNG_SIGNATURE);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image).isNotNull();
            assertThat(image.getWidth()).isEqualTo(900);
            assertThat(image.getHeight()).isEqualTo(560);
        }
    }

    @Test
    void theLongContextChartStacksThreePanelsOfTheChartSize() throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Charts.longContext(stress())));

        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(3 * 560);
        // Each panel paints its own white background: a blank third would mean a panel was never drawn.
        for (int panel = 0; panel < 3; panel++) {
            assertThat(distinctColours(image, panel * 560, (panel + 1) * 560)).as("colours in panel %d", panel).isGreaterThan(3);
        }
    }

    private static int distinctColours(BufferedImage image, int fromY, int toY) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = fromY; y < toY; y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) colours.add(image.getRGB(x, y));
        }
        return colours.size();
    }
}
