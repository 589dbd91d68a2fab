package io.heavykv.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/**
 * Sentencepiece BPE as llama.cpp and llama2.c run it: spaces spelled as the vocabulary spells them, a dummy-prefix
 * space at the start and after special tokens, one symbol per code point, then repeatedly merging the adjacent
 * pair whose concatenation is the highest-scoring piece (leftmost on ties). A final symbol that is no piece (a
 * code point missing from the vocabulary) becomes its UTF-8 bytes as {@code <0xXX>} pieces.
 *
 * <p>Rather than rescanning every pair after each merge, symbols form a linked list and candidate pairs sit in a
 * heap keyed by (score descending, position ascending), which picks the same merge. Heap entries are never
 * removed: an entry is stale when the pair now starting at its position no longer merges to the same score, and
 * is skipped when popped. O(n log n).
 */
final class SentencePieceEncoder implements FragmentEncoder {
    private final Tokenizer tokenizer;
    private final String spaceMarker;
    private final boolean addSpacePrefix;

    SentencePieceEncoder(Tokenizer tokenizer, String spaceMarker, boolean addSpacePrefix) {
        this.tokenizer = tokenizer;
        this.spaceMarker = spaceMarker;
        this.addSpacePrefix = addSpacePrefix;
    }

    @Override
    public void encode(String fragment, boolean afterSpecial, IntConsumer out) {
        String text = (addSpacePrefix && afterSpecial ? " " : "") + fragment;
        if (!spaceMarker.equals(" ")) text = text.replace(" ", spaceMarker);
        new Session(text).run(out);
    }

    /** One encoding pass over one fragment. */
    private final class Session {
        private final String text;
        /** Symbol i spans text[start[i], start[next[i]]) (or to the end of the text for the last symbol). */
        private final int[] start;
        private final int[] next;
        private final int[] prev;
        /** Id the pair starting at each symbol merges into, -1 if none (or the symbol was merged away). */
        private final int[] mergedInto;
        private final int count;

        Session(String text) {
            this.text = text;
            int n = text.codePointCount(0, text.length());
            start = new int[n];
            for (int i = 0, at = 0; i < n; i++) {
                start[i] = at;
                at += Character.charCount(text.codePointAt(at));
            }
            count = n;
            next = new int[n];
            prev = new int[n];
            mergedInto = new int[n];
        }

        void run(IntConsumer out) {
            if (count == 0) return;
            for (int i = 0; i < count; i++) {
                next[i] = i + 1 < count ? i + 1 : -1;
                prev[i] = i - 1;
            }
            LongMinHeap heap = new LongMinHeap(count);
            for (int i = 0; i < count; i++) offer(heap, i);
            while (!heap.isEmpty()) {
                long entry = heap.poll();
                int left = (int) entry;
                int merged = mergedInto[left];
                if (merged < 0 || key(tokenizer.score(merged), left) != entry) continue;
                int right = next[left];
                next[left] = next[right];
                if (next[right] >= 0) prev[next[right]] = left;
                mergedInto[right] = -1;
                offer(heap, left);
                if (prev[left] >= 0) offer(heap, prev[left]);
            }
            for (int i = 0; i >= 0; i = next[i]) emit(symbol(i), out);
        }

        private String symbol(int i) {
            return text.substring(start[i], next[i] < 0 ? text.length() : start[next[i]]);
        }

        /** Records (and queues) what the pair starting at symbol {@code left} would merge into. */
        private void offer(LongMinHeap heap, int left) {
            int right = next[left];
            int end = right < 0 ? -1 : next[right] < 0 ? text.length() : start[next[right]];
            int merged = right < 0 ? -1 : tokenizer.idOf(text.substring(start[left], end));
            mergedInto[left] = merged;
            if (merged >= 0) heap.add(key(tokenizer.score(merged), left));
        }

        private void emit(String symbol, IntConsumer out) {
            int id = tokenizer.idOf(symbol);
            if (id >= 0) {
                out.accept(id);
                return;
            }
            for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
                int byteId = tokenizer.byteId(b & 0xFF);
                if (byteId < 0) {
                    throw new InvalidTokenizerException(String.format(
                            "vocabulary has neither a piece for U+%04X nor the byte-fallback piece <0x%02X>",
                            symbol.codePointAt(0), b & 0xFF));
                }
                out.accept(byteId);
            }
        }
    }

    /** Heap order: higher score first, then lower position; scores map to ints that sort like the floats. */
    private static long key(float score, int position) {
        int bits = Float.floatToIntBits(score);
        int sortable = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return (long) ~sortable << 32 | position;
    }
}
