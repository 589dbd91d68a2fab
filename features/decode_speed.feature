@slow @goal-decode-cost
Feature: Compressing the KV cache costs at most 5% of decode speed
  heavykv's compressing configurations (H2O eviction plus lossless store mode, which drops the raw KV of the
  kept pages and restores it from frames when attention reads it) must decode nearly as fast as a full cache,
  with the fast codec set and with every codec, the context model included (the set that compresses real KV
  1.3x). Store mode restores every released page at every step, so what that costs next to the rest of a
  step depends on the machine and the context length: both configurations hold restores, and the encoding of the pages to release,
  to 3% of each step by a decode budget, keeping raw the pages that would cost more (and no decode cache beside them). Speed is measured, not estimated: the real engine on a generated Q8_0 model with TinyLlama-1.1B
  layer dimensions, the two configurations interleaved in the same run over several repeats, and judged
  on the median of the per-repeat speed ratios, so a burst of other work on a shared machine does not
  decide the verdict while a path that is really slower does.

  Scenario: H2O with lossless store mode and the fast codecs decodes within 5% of the full cache
    Given a generated Q8_0 model with TinyLlama-1.1B dimensions and 4 layers
    When I decode 192 tokens after a random 512-token prompt with the full cache and with the store-speed preset's h2o_store_budget, interleaved, 5 times
    Then decode tokens/s drops at most 5% against the full cache, by the median of the paired ratios
    And the compressing configuration holds less KV than the full cache

  Scenario: H2O with lossless store mode and the context model decodes within 5% of the full cache
    Its restores cost about four times the plane codecs', so the budget keeps more pages raw. Its learned
    models (counts, a trial of rows and grouped tables: about 0.1 MB per layer stream at these widths) count
    in what it holds.
    Given a generated Q8_0 model with TinyLlama-1.1B dimensions and 4 layers
    When I decode 192 tokens after a random 512-token prompt with the full cache and with the store-speed preset's h2o_store_auto_budget, interleaved, 5 times
    Then decode tokens/s drops at most 5% against the full cache, by the median of the paired ratios
    And the compressing configuration holds less KV than the full cache
