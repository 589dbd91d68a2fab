Feature: KV memory stays flat under eviction while the full cache grows
  The point of evicting is that a long run no longer needs memory in proportion to its length.

  @quick
  Scenario: Decoding to 1024 tokens with a 128-token budget
    Given the stories260K model
    And a context of 2048 tokens
    When I decode to 1024 tokens with the full cache, StreamingLLM and H2O at a budget of 128 tokens
    Then the full cache's KV memory grows with every checkpoint
    And StreamingLLM's and H2O's KV memory stay within one page per layer of their first checkpoint

  @slow
  Scenario: Decoding to 8192 tokens with a 256-token budget
    Given the stories260K model
    When I decode to 8192 tokens with the full cache, StreamingLLM and H2O at a budget of 256 tokens
    Then the full cache's KV memory grows with every checkpoint
    And StreamingLLM's and H2O's KV memory stay within one page per layer of their first checkpoint
