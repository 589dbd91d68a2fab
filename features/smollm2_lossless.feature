@slow @smollm2 @goal-lossless
Feature: Lossless store mode on a real model, SmolLM2-135M-Instruct
  Store mode under H2O holds the pages H2O keeps as frames and restores them when attention reads them. Judged
  by a real store-mode run (FP16 KV, keys stored unrotated) with every byte it keeps counted: resident pages
  (hot zones, pages not yet framed), frames with their headers, the context models, the decode cache and page
  copies queued for encoding. The logits must stay bit-identical to H2O alone's.

  Where it stands: after the 2048-token prompt (975 SmolLM2 tokens) store mode holds 6.81 MB where H2O alone holds
  8.21 MB (1.21x less, the goal being 1.2x; H2O alone held 9.81 MB and the ratio was 1.35x until H2O's compacted
  pages were repacked, while store mode itself went from 7.25 to 6.81 MB); after
  the 512-token one (about 250 tokens) 2.71 MB against 2.95 MB (1.09x less), the hot zone (one page a layer) and the
  cross-layer decode cache costing the same at any length. The context models pool their counts across layers (one
  set of tables for the K streams, one for the V), so they take 0.10-0.12 MB instead of 0.4-0.6 MB. The lossless
  goal, 1.3x on all kept KV, is missed: the frames reach 1.18-1.19x, all kept KV 1.11x (2048) and 0.94x (512). The
  thresholds below hold today's figures against regressions; the goals page shows the gap. Per value, the sign and
  exponent cost about 3.3 bits and the ten mantissa bits are close to noise: coded adaptively, as a runtime must,
  the best context model measured (previous token's exponent and the top mantissa bits as contexts) reaches 1.215x
  on the frames before its larger tables are paid for. The README has the per-layer table.
  Decode speed is not judged here: store mode restores every released page at every step (see the README).

  Scenario Outline: SmolLM2 store mode under H2O on prompt_<bucket>_1: memory against H2O alone, bit-identical logits
    Given the SmolLM2-135M-Instruct Q4_1 model
    And an H2O KV cache keeping 0.3333 of the tokens
    And KV stored as FP16
    And keys stored unrotated and rotated by their original position
    And lossless store mode on the kept pages outside hot zones of 0 sink and 32 recent tokens, without per-layer decode caches
    When I run the bundled prompt prompt_<bucket>_1 and 16 greedy tokens with and without compression
    Then every step's logits are bit-identical to the uncompressed run
    And compressed pages replaced raw ones
    And store mode holds at least <memory>x less KV memory than the cache without compression
    And the lossless ratio is at least <framed>
    And the lossless ratio on all kept KV is at least <kept>

    Examples:
      | bucket | framed | kept | memory |
      | 512    | 1.17   | 0.92 | 1.05   |
      | 2048   | 1.17   | 1.09 | 1.20   |
