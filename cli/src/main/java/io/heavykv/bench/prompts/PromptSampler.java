package io.heavykv.bench.prompts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses which prompts to run. Sequential takes them in listing order; stratified takes one from each bucket
 * in turn, so a small cap still covers every length. Both honour the per-bucket and overall caps and only the
 * buckets asked for, in the order asked for.
 */
public final class PromptSampler {
    public enum Mode { STRATIFIED, SEQUENTIAL }

    private PromptSampler() {
    }

    /**
     * @param buckets      buckets to run, in report order (empty = {@link Buckets#ORDER})
     * @param perBucketCap most prompts per bucket; 0 = no cap
     * @param totalCap     most prompts overall; 0 = no cap
     */
    public static List<PromptFile> select(List<PromptFile> prompts, List<String> buckets, Mode mode, int perBucketCap, int totalCap) {
        if (perBucketCap < 0 || totalCap < 0) throw new IllegalArgumentException("prompt caps must be >= 0 (0 = no cap)");
        List<String> order = buckets.isEmpty() ? Buckets.ORDER : buckets;
        for (String b : order) {
            if (!Buckets.ORDER.contains(b)) throw new IllegalArgumentException("unknown bucket '" + b + "': use " + Buckets.ORDER);
        }
        int perBucket = perBucketCap == 0 ? Integer.MAX_VALUE : perBucketCap;
        int total = totalCap == 0 ? Integer.MAX_VALUE : totalCap;
        Map<String, List<PromptFile>> byBucket = new LinkedHashMap<>();
        for (String b : order) byBucket.put(b, new ArrayList<>());
        for (PromptFile p : prompts) {
            List<PromptFile> list = byBucket.get(p.bucket());
            if (list != null && list.size() < perBucket) list.add(p);
        }
        List<PromptFile> chosen = new ArrayList<>();
        if (mode == Mode.SEQUENTIAL) {
            for (PromptFile p : prompts) {
                if (chosen.size() >= total) break;
                List<PromptFile> list = byBucket.get(p.bucket());
                if (list != null && list.contains(p)) chosen.add(p);
            }
            return chosen;
        }
        for (int round = 0; chosen.size() < total; round++) {
            boolean any = false;
            for (List<PromptFile> list : byBucket.values()) {
                if (round < list.size() && chosen.size() < total) {
                    chosen.add(list.get(round));
                    any = true;
                }
            }
            if (!any) break;
        }
        return chosen;
    }
}
