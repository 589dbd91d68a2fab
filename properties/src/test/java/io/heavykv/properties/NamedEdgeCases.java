package io.heavykv.properties;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

import java.util.List;

/**
 * Edge cases chosen by name. jqwik's own edge cases of a composite value combine those of all its parts, and a
 * property's parameters multiply again, past the tries: jqwik then warns ("Edge case generation exceeds number of
 * tries") and stops generating them part-way. Here the composite draws no edge cases of its own and the few that
 * matter are named; they are also drawn now and then among the random values.
 */
final class NamedEdgeCases {
    private NamedEdgeCases() {}

    static <T> Arbitrary<T> of(Arbitrary<T> drawn, List<T> edgeCases) {
        return Arbitraries.frequencyOf(Tuple.of(19, drawn.edgeCases(config -> config.none())), Tuple.of(1, Arbitraries.of(edgeCases)));
    }
}
