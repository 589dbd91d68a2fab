package io.heavykv.bench.gate;

import io.heavykv.bench.RunRecord;

import java.util.List;

/** Where the decode-regression gate takes the speed it compares against. */
public sealed interface DecodeBaseline {

    /** Runs of configuration {@code configId} measured in the same invocation, on the same settings. */
    record SameBatch(String configId) implements DecodeBaseline {
        public SameBatch {
            if (configId == null || configId.isBlank()) throw new IllegalArgumentException("same_batch baseline needs a configuration name");
        }
    }

    /**
     * Runs of configuration {@code configId} measured in the same invocation, paired with the candidate's runs by
     * setting and repeat; the drop is 1 - the median of the pair ratios (see {@link PairedDecode}). Needs the
     * configurations interleaved and several repeats to be robust on a shared machine.
     */
    record Paired(String configId) implements DecodeBaseline {
        public Paired {
            if (configId == null || configId.isBlank()) throw new IllegalArgumentException("paired baseline needs a configuration name");
        }
    }

    /**
     * The median of the last {@code window} passing runs in {@code history} with the candidate's key
     * (machine, model, configuration, prompt and generation length): a regression against the config's own past.
     */
    record Rolling(List<RunRecord> history, int window) implements DecodeBaseline {
        public Rolling {
            history = List.copyOf(history);
            if (window < 1) throw new IllegalArgumentException("rolling baseline window must be at least 1, got " + window);
        }
    }

    /** A fixed decode speed in tokens/s. */
    record Fixed(double decodeTokS) implements DecodeBaseline {
        public Fixed {
            if (!(decodeTokS > 0) || Double.isInfinite(decodeTokS)) {
                throw new IllegalArgumentException("fixed decode baseline must be a positive number of tokens/s, got " + decodeTokS);
            }
        }
    }
}
