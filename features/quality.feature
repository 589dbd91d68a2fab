@quick
Feature: H2O keeps quality that StreamingLLM loses at the same KV budget
  Keeping a third of the KV cache, H2O must stay close to the full cache and clearly beat StreamingLLM
  holding the same number of tokens. Quality is measured on held-out text the H2O defaults were not
  tuned on, one token per step so eviction really acts, in 512-token windows inside the trained context.

  @goal-quality
  Scenario: Perplexity and KL on held-out text at a 168-token budget
    Given the stories260K model
    When I score 4 windows of the held-out text eval_2.txt with the full cache, StreamingLLM and H2O at a budget of 168 tokens
    Then both evicting caches keep at most a third: lossy ratio at least 3.0
    And H2O loses at most 80% as much perplexity as StreamingLLM
    And H2O's mean KL divergence is at most 80% of StreamingLLM's
    And H2O's perplexity is within 1.5% of the full cache
