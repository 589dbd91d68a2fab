package io.heavykv.codec;

/**
 * Static symbol frequencies for the rANS coder: per context, {@code symbols} frequencies that sum to
 * {@link Rans#TOTAL}, every one at least 1 so any bit pattern stays codable. Immutable.
 */
final class FrequencyTable {
    private final int symbols;
    private final char[] freq;
    private final char[] start;

    private FrequencyTable(int symbols, char[] freq, char[] start) {
        this.symbols = symbols;
        this.freq = freq;
        this.start = start;
    }

    /**
     * Scales counts ({@code contexts x symbols}, context-major) to frequencies: each symbol gets 1 plus its
     * share of the rest, the rounding remainder goes to the most frequent; an unseen context is uniform.
     */
    static FrequencyTable quantize(int[] counts, int contexts, int symbols) {
        char[] freq = new char[contexts * symbols];
        char[] start = new char[contexts * symbols];
        int spare = Rans.TOTAL - symbols;
        for (int c = 0, base = 0; c < contexts; c++, base += symbols) {
            long total = 0;
            for (int s = 0; s < symbols; s++) total += counts[base + s];
            int sum = 0;
            int top = 0;
            for (int s = 0; s < symbols; s++) {
                int f = 1 + (total == 0 ? spare / symbols : (int) (counts[base + s] * (long) spare / total));
                freq[base + s] = (char) f;
                sum += f;
                if (f > freq[base + top]) top = s;
            }
            freq[base + top] += (char) (Rans.TOTAL - sum);
            for (int s = 0, at = 0; s < symbols; s++) {
                start[base + s] = (char) at;
                at += freq[base + s];
            }
        }
        return new FrequencyTable(symbols, freq, start);
    }

    int freq(int context, int symbol) { return freq[context * symbols + symbol]; }

    int start(int context, int symbol) { return start[context * symbols + symbol]; }

    /** The symbol whose range holds {@code slot} (in [0, TOTAL)): binary search over the starts. */
    int find(int context, int slot) {
        int base = context * symbols;
        int lo = 0;
        int hi = symbols - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (start[base + mid] <= slot) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}
