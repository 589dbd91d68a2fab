package io.heavykv.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Byte-level BPE as GPT-2 and llama.cpp's {@code gpt2} vocabularies run it: the pre-tokenizer splits text into
 * words, each word's UTF-8 bytes become {@link ByteLevel} characters, then the adjacent pair with the lowest merge
 * rank merges (leftmost on ties) until no pair has a rank. Linked symbols and a heap of (rank, position) entries,
 * stale ones skipped when popped, as in {@link SentencePieceEncoder}.
 */
final class BytePairEncoder implements FragmentEncoder {
    private final Tokenizer tokenizer;
    private final PreTokenizer preTokenizer;
    /** Rank per merge, keyed "left right" as the merges list spells it. */
    private final Map<String, Integer> ranks;

    BytePairEncoder(Tokenizer tokenizer, PreTokenizer preTokenizer, List<String> merges) {
        this.tokenizer = tokenizer;
        this.preTokenizer = preTokenizer;
        this.ranks = HashMap.newHashMap(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) ranks.putIfAbsent(merges.get(rank), rank);
    }

    @Override
    public void encode(String text, boolean afterSpecial, IntConsumer out) {
        for (String word : preTokenizer.split(text)) {
            String symbols = ByteLevel.encode(word);
            int whole = preTokenizer.wholeWordsFirst() ? tokenizer.idOf(symbols) : -1;
            if (whole >= 0) {
                out.accept(whole);
            } else {
                merge(symbols, out);
            }
        }
    }

    /** {@code word} holds one character per byte, so symbol i starts at char i. */
    private void merge(String word, IntConsumer out) {
        int n = word.length();
        int[] next = new int[n];
        int[] prev = new int[n];
        int[] rankAt = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        LongMinHeap heap = new LongMinHeap(n);
        for (int i = 0; i < n; i++) offer(word, next, rankAt, heap, i);
        while (!heap.isEmpty()) {
            long entry = heap.poll();
            int left = (int) entry;
            if (rankAt[left] < 0 || (int) (entry >>> 32) != rankAt[left]) continue;
            int right = next[left];
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            rankAt[right] = -1;
            offer(word, next, rankAt, heap, left);
            if (prev[left] >= 0) offer(word, next, rankAt, heap, prev[left]);
        }
        for (int i = 0; i >= 0; i = next[i]) {
            String symbol = word.substring(i, end(word, next, i));
            int id = tokenizer.idOf(symbol);
            if (id >= 0) {
                out.accept(id);
                continue;
            }
            // A symbol no merge produced and no piece spells: llama.cpp looks its bytes up one by one, which
            // only ever finds the ASCII ones.
            for (char c : symbol.toCharArray()) {
                int single = c < 0x80 ? tokenizer.idOf(String.valueOf(c)) : -1;
                if (single >= 0) out.accept(single);
            }
        }
    }

    private static int end(String word, int[] next, int i) {
        return next[i] < 0 ? word.length() : next[i];
    }

    private void offer(String word, int[] next, int[] rankAt, LongMinHeap heap, int left) {
        int right = next[left];
        Integer rank = right < 0 ? null
                : ranks.get(word.substring(left, right) + ' ' + word.substring(right, end(word, next, right)));
        rankAt[left] = rank == null ? -1 : rank;
        if (rank != null) heap.add((long) rank << 32 | left);
    }
}
