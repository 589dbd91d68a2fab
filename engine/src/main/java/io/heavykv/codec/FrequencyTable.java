package io.heavykv.codec;

import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Static symbol frequencies for the rANS coder: per context, {@link #SYMBOLS} frequencies (of the
 * sign-and-exponent symbols) that sum to {@link Rans#TOTAL}, every one at least 1 so any bit pattern stays
 * codable. Immutable.
 *
 * <p>Held as cumulative starts, {@code SYMBOLS + 1} per context ending in {@code TOTAL}, so a frequency is
 * the difference of two neighbours and the symbol of a slot is the number of later starts not above it:
 * a count that takes a fixed number of vector compares (two with AVX-512), which the compiler unrolls,
 * with no branch to mispredict and no table beyond
 * the starts (a slot-to-symbol table would take 4 KB per context; a search's branches cost more than the
 * rest of decoding when the model fits the data badly).
 */
final class FrequencyTable {
    private static final VectorSpecies<Short> SPECIES = ShortVector.SPECIES_PREFERRED;

    static final int SYMBOLS = ContextModel.SIGN_EXPONENTS;
    private static final int STRIDE = SYMBOLS + 1;

    private final char[] starts;

    private FrequencyTable(char[] starts) { this.starts = starts; }

    /**
     * Scales counts ({@code contexts x symbols}, context-major) to frequencies after adding to each context
     * {@code priorWeight} pseudo-counts spread as the counts of all contexts together are: a context seen
     * rarely then leans on what the others saw rather than giving a symbol it has not met yet the minimum
     * frequency (12 bits to code). Each symbol gets 1 plus its share of the rest, the rounding remainder goes
     * to the most frequent.
     */
    static FrequencyTable quantize(int[] counts, int contexts, double priorWeight) {
        double[] prior = new double[SYMBOLS];
        double pooled = 0;
        for (int c = 0; c < contexts; c++) {
            for (int s = 0; s < SYMBOLS; s++) prior[s] += counts[c * SYMBOLS + s];
        }
        for (double p : prior) pooled += p;
        for (int s = 0; s < SYMBOLS; s++) prior[s] = pooled == 0 ? priorWeight / SYMBOLS : prior[s] * priorWeight / pooled;
        char[] starts = new char[contexts * (STRIDE)];
        int[] freq = new int[SYMBOLS];
        int spare = Rans.TOTAL - SYMBOLS;
        for (int c = 0; c < contexts; c++) {
            int base = c * SYMBOLS;
            double total = priorWeight;
            for (int s = 0; s < SYMBOLS; s++) total += counts[base + s];
            int sum = 0;
            int top = 0;
            for (int s = 0; s < SYMBOLS; s++) {
                freq[s] = 1 + (total == 0 ? spare / SYMBOLS : (int) ((counts[base + s] + prior[s]) * spare / total));
                sum += freq[s];
                if (freq[s] > freq[top]) top = s;
            }
            freq[top] += Rans.TOTAL - sum;
            int out = c * (STRIDE);
            for (int s = 0, at = 0; s <= SYMBOLS; s++) {
                starts[out + s] = (char) at;
                if (s < SYMBOLS) at += freq[s];
            }
        }
        return new FrequencyTable(starts);
    }

    /** Index of the first start of {@code context}, for {@link #start}, {@link #freq} and {@link #find}: the same in every table. */
    static int base(int context) { return context * STRIDE; }

    int start(int base, int symbol) { return starts[base + symbol]; }

    int freq(int base, int symbol) { return starts[base + symbol + 1] - starts[base + symbol]; }

    /** The symbol of the context at {@code base} whose range holds {@code slot} (in [0, TOTAL)). */
    int find(int base, int slot) {
        // Counts the starts after the first that are <= slot; the last is TOTAL, never counted.
        int s = 0;
        for (int i = 1; i <= SYMBOLS; i += SPECIES.length()) {
            s += ShortVector.fromCharArray(SPECIES, starts, base + i).compare(VectorOperators.LE, (short) slot).trueCount();
        }
        return s;
    }

    /** Heap bytes of the table. */
    long bytes() { return 2L * starts.length; }
}
