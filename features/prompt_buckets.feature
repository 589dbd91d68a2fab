@goal-no-crash @goal-lossy
Feature: Real prompts of every length run without error
  Prompts of 128, 512 and 2048 tokens, and a long bucket past the model's trained context, must all
  run through H2O eviction with valid reserve plans and the 3x lossy goal.

  Scenario Outline: The <bucket> bucket
    Given the stories260K model
    And an H2O KV cache keeping 0.3333 of the tokens
    And a context of 8192 tokens
    When I generate 16 tokens greedily after the bundled prompt prompt_<bucket>_1
    Then no reserve plan was rejected
    And the lossy ratio on the evicting layers is at least 3.0

    @quick
    Examples:
      | bucket |
      | 128    |
      | 512    |
      | 2048   |

    @slow
    Examples:
      | bucket |
      | long   |
