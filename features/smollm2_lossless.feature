@slow @smollm2 @goal-lossless
Feature: Lossless store mode on a real model, SmolLM2-135M-Instruct
  Store mode under H2O holds the pages H2O keeps as frames and restores them when attention reads them. Judged
  by a real store-mode run (FP16 KV, keys stored unrotated) with every byte it keeps counted: resident pages
  (hot zones, pages not yet framed), frames with their headers, the context models, the decode cache and page
  copies queued for encoding. The logits must stay bit-identical to H2O alone's.

  Where it stands: after the 2048-token prompt (975 SmolLM2 tokens) store mode holds 1.35x less KV memory than
  H2O alone (frames count the tokens they hold, while H2O's compacted pages keep their whole capacity); after the
  512-token one (about 250 tokens) it holds 5% more, since the hot zone, the context models (0.5-0.6 MB for 60
  streams) and the cross-layer decode cache cost the same at any length. The lossless goal, 1.3x on all kept KV,
  is missed: the frames reach 1.19-1.20x, all kept KV 1.04x (2048) and 0.79x (512). The thresholds below hold
  today's figures against regressions; the goals page shows the gap. Per value, the sign and exponent cost about
  3.3 bits and the ten mantissa bits are close to noise: the per-channel entropy of SmolLM2's KV bounds any coder
  of this kind near 1.22x (1.24x with the top mantissa bits modelled per exponent, 1.27x with the previous
  token's exponent as context, both measured in-sample and so optimistic). The README has the per-layer table.
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
      | 512    | 1.17   | 0.75 | 0.9    |
      | 2048   | 1.17   | 1.02 | 1.3    |
