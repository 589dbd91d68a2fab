@quick
Feature: Lossy eviction reaches the 3x goal
  H2O keeps the tokens attention weighs most (heavy hitters) plus sink and recent floors. Keeping a
  third of the tokens must shrink the KV cache of the evicting layers at least threefold, with every
  reserve plan valid.

  @goal-lossy
  Scenario: H2O keeping a third of the tokens gives lossy >= 3.0x on a 512-token prompt
    Given the stories260K model
    And an H2O KV cache keeping 0.3333 of the tokens
    And a context of 1024 tokens
    When I generate 64 tokens greedily after the bundled prompt prompt_512_1
    Then the lossy ratio on the evicting layers is at least 3.0
    And no reserve plan was rejected

  Scenario: The full cache is the baseline and keeps everything
    Given the stories260K model
    And the full KV cache
    And a context of 1024 tokens
    When I generate 64 tokens greedily after the bundled prompt prompt_512_1
    Then the cache kept every token

  Scenario: H2O keeping a fifth of a 2048-token prompt plans validly
    Given the stories260K model
    And an H2O KV cache keeping 0.2 of the tokens
    And a context of 4096 tokens
    When I generate 32 tokens greedily after the bundled prompt prompt_2048_1
    Then no reserve plan was rejected
    And the lossy ratio on the evicting layers is at least 4.5
