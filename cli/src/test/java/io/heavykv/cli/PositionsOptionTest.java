package io.heavykv.cli;

import io.heavykv.kvcache.PositionMode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PositionsOptionTest {
    private final CacheOptions.Positions positions = new CacheOptions.Positions();

    @Test
    void eachCommandLineNameSelectsItsMode() {
        assertThat(positions.convert("absolute")).isEqualTo(PositionMode.ABSOLUTE);
        assertThat(positions.convert("relative")).isEqualTo(PositionMode.CACHE_RELATIVE);
        assertThat(positions.convert("pre-rope")).isEqualTo(PositionMode.ABSOLUTE_PRE_ROPE);
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> positions.convert("rotated"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'rotated'")
                .hasMessageContaining("absolute, relative or pre-rope");
    }
}
