@slow @smollm2 @goal-quality
Feature: H2O against StreamingLLM on SmolLM2-135M-Instruct, held-out prose
  The goal: keeping a third of the KV (3x lossy), H2O's perplexity increase over the full cache is at most half
  of StreamingLLM's at the same budget, and so is its mean KL divergence from the full cache, in 2048- and
  8192-token windows. The text is the held-out prose (Persuasion; the prompts H2O may be tuned on come from
  Austen's other novels). Each window is fed from an empty cache at position 0; its last tokens are scored one
  decode step each, after the rest was fed as a prompt in 64-token chunks (the tail is where the cache is
  fullest, and CI's 2 cores could not decode every token). Greedy scoring, no sampling: the figures repeat.
  The goal is not reached yet: on this window H2O's perplexity increase is 1.00 of StreamingLLM's and its mean KL
  0.72 of it (README, "Quality of every policy on SmolLM2", measured 2026-12-03 after the 8-bit matmul inputs; 1.06 and
  0.72 before), and no H2O setting tried moved the perplexity ratio below 0.91 (same section), so the scenario holds
  today's figures against regressions (1.10 and 0.80) and reports the two ratios (H2O / StreamingLLM) that the goal
  judges at 0.5. The 8192-token window is not measured yet.

  Scenario: SmolLM2 at 3x lossy in 2048-token windows of held-out prose, H2O against StreamingLLM
    Given the SmolLM2-135M-Instruct Q4_1 model
    When I score the last 128 tokens of 1 window of 2048 tokens of the held-out text heldout_persuasion.txt with the full cache, StreamingLLM and H2O at the budget for 3.0x lossy
    Then both evicting caches keep at most a third: lossy ratio at least 3.0
    And H2O loses at most 110% as much perplexity as StreamingLLM
    And H2O's mean KL divergence is at most 80% of StreamingLLM's
