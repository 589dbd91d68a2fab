package io.heavykv.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * One encoding pass. llama2.c rescans every pair after each merge (quadratic, worse with its array shifting);
 * here symbols form a linked list and candidate pairs sit in a heap keyed by (score descending, position
 * ascending), which picks exactly the merge llama2.c picks: the best score, the leftmost pair on ties.
 * Heap entries are never removed; an entry is stale when the pair now starting at its position no longer
 * merges to the same score, and is skipped when popped. O(n log n).
 */
final class BpeEncoder {
    private final Tokenizer tokenizer;
    private final String text;
    private int[] ids;
    private int[] next;
    private int[] prev;
    /** Id the pair starting at each symbol merges into, -1 if none (or the symbol was merged away). */
    private int[] mergedInto;
    private int count;

    BpeEncoder(Tokenizer tokenizer, String text) {
        this.tokenizer = tokenizer;
        this.text = text;
    }

    int[] encode(boolean bos, boolean eos) {
        // Worst case: every char a 3-byte code point falling back to bytes, plus dummy prefix.
        int capacity = 3 * text.length() + 1;
        ids = new int[capacity];
        if (!text.isEmpty()) {
            if (tokenizer.spaceId() < 0) {
                throw new InvalidTokenizerException("vocabulary has no \" \" piece for sentencepiece's dummy prefix");
            }
            ids[count++] = tokenizer.spaceId();
        }
        splitCodePoints();
        merge();
        int[] out = new int[count + (bos ? 1 : 0) + (eos ? 1 : 0)];
        int o = 0;
        if (bos) out[o++] = tokenizer.bosId();
        System.arraycopy(ids, 0, out, o, count);
        o += count;
        if (eos) out[o] = tokenizer.eosId();
        return out;
    }

    private void splitCodePoints() {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int charCount = Character.charCount(cp);
            if (Character.isSurrogate((char) cp)) {
                throw new IllegalArgumentException("text has an unpaired surrogate at index " + i);
            }
            String ch = text.substring(i, i + charCount);
            int id = tokenizer.idOf(ch);
            if (id >= 0) {
                ids[count++] = id;
            } else {
                for (byte b : ch.getBytes(StandardCharsets.UTF_8)) {
                    int byteId = tokenizer.byteId(b & 0xFF);
                    if (byteId < 0) {
                        throw new InvalidTokenizerException(String.format(
                                "vocabulary has neither a piece for U+%04X nor the byte-fallback piece <0x%02X>", cp, b & 0xFF));
                    }
                    ids[count++] = byteId;
                }
            }
            i += charCount;
        }
    }

    private void merge() {
        if (count < 2) return;
        next = new int[count];
        prev = new int[count];
        mergedInto = new int[count];
        for (int i = 0; i < count; i++) {
            next[i] = i + 1 < count ? i + 1 : -1;
            prev[i] = i - 1;
        }
        LongMinHeap heap = new LongMinHeap(count);
        for (int i = 0; i < count - 1; i++) offer(heap, i);
        mergedInto[count - 1] = -1;
        int symbols = count;
        while (!heap.isEmpty()) {
            long entry = heap.poll();
            int left = (int) entry;
            int merged = mergedInto[left];
            if (merged < 0 || key(tokenizer.score(merged), left) != entry) continue;
            int right = next[left];
            ids[left] = merged;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            mergedInto[right] = -1;
            symbols--;
            offer(heap, left);
            if (prev[left] >= 0) offer(heap, prev[left]);
        }
        compact(symbols);
    }

    /** Records (and queues) what the pair starting at symbol {@code left} would merge into. */
    private void offer(LongMinHeap heap, int left) {
        int right = next[left];
        int merged = right < 0 ? -1 : tokenizer.idOf(tokenizer.piece(ids[left]) + tokenizer.piece(ids[right]));
        mergedInto[left] = merged;
        if (merged >= 0) heap.add(key(tokenizer.score(merged), left));
    }

    /** Heap order: higher score first, then lower position; scores map to ints that sort like the floats. */
    private static long key(float score, int position) {
        int bits = Float.floatToIntBits(score);
        int sortable = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return (long) ~sortable << 32 | position;
    }

    /** Moves the surviving symbols to the front of {@code ids}, in order. */
    private void compact(int symbols) {
        int o = 0;
        for (int i = 0; i >= 0; i = next[i]) ids[o++] = ids[i];
        count = symbols;
    }
}
