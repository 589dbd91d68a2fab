@goal-no-crash @goal-lossy
Feature: Real prompts of every length run without error
  Prompts of 128, 512 and 2048 tokens, and a long bucket past the model's trained context, must all
  run through H2O eviction with valid reserve plans and the 3x lossy goal, and through store mode,
  which must serve bit for bit what an uncompressed cache would, whether H2O evicts or the cache keeps all.

  Scenario Outline: The <bucket> bucket, prompt <n>
    Given the stories260K model
    And an H2O KV cache keeping 0.3333 of the tokens
    And a context of 8192 tokens
    When I generate 16 tokens greedily after the bundled prompt prompt_<bucket>_<n>
    Then no reserve plan was rejected
    And the lossy ratio on the evicting layers is at least 3.0

    @quick
    Examples:
      | bucket | n |
      | 128    | 1 |
      | 128    | 2 |
      | 128    | 3 |
      | 512    | 1 |
      | 512    | 2 |
      | 512    | 3 |
      | 2048   | 1 |
      | 2048   | 2 |
      | 2048   | 3 |

    @slow
    Examples:
      | bucket | n |
      | long   | 1 |
      | long   | 2 |

  Scenario Outline: Every registered policy on the <bucket> bucket, prompt <n>
    Each policy of the registry (a new one needs no line here) keeps a third where it has a keep target
    and its defaults otherwise.
    Given the stories260K model
    And every registered eviction policy, keeping 0.3333 of the tokens where it has a keep target
    And a context of 8192 tokens
    When I generate 16 tokens greedily after the bundled prompt prompt_<bucket>_<n> with each of them
    Then no policy had a reserve plan rejected
    And every policy with a keep target reached a lossy ratio of at least 3.0 on its evicting layers

    @quick
    Examples:
      | bucket | n |
      | 128    | 1 |
      | 512    | 1 |
      | 2048   | 1 |

    @slow
    Examples:
      | bucket | n |
      | 128    | 2 |
      | 128    | 3 |
      | 512    | 2 |
      | 512    | 3 |
      | 2048   | 2 |
      | 2048   | 3 |
      | long   | 1 |

  Scenario Outline: Store mode on the <bucket> bucket, prompt <n>, with <cache>
    Given the stories260K model
    And <cache>
    And lossless compression in store mode on every layer
    When I run the bundled prompt prompt_<bucket>_<n> and 16 greedy tokens with and without compression
    Then every step's logits are bit-identical to the uncompressed run
    And compressed pages replaced raw ones

    @quick
    Examples:
      | bucket | n | cache                                       |
      | 128    | 1 | the full KV cache                           |
      | 128    | 2 | the full KV cache                           |
      | 128    | 3 | the full KV cache                           |
      | 512    | 1 | the full KV cache                           |
      | 512    | 2 | the full KV cache                           |
      | 512    | 3 | the full KV cache                           |
      | 512    | 1 | an H2O KV cache keeping 0.3333 of the tokens |
      | 512    | 2 | an H2O KV cache keeping 0.3333 of the tokens |
      | 512    | 3 | an H2O KV cache keeping 0.3333 of the tokens |

    @slow
    Examples:
      | bucket | n | cache                                       |
      | 2048   | 1 | the full KV cache                           |
      | 2048   | 2 | the full KV cache                           |
      | 2048   | 3 | the full KV cache                           |
      | 2048   | 1 | an H2O KV cache keeping 0.3333 of the tokens |
      | 2048   | 2 | an H2O KV cache keeping 0.3333 of the tokens |
      | 2048   | 3 | an H2O KV cache keeping 0.3333 of the tokens |
      | long   | 1 | the full KV cache                           |
      | long   | 2 | the full KV cache                           |
      | long   | 1 | an H2O KV cache keeping 0.3333 of the tokens |
      | long   | 2 | an H2O KV cache keeping 0.3333 of the tokens |

  Scenario Outline: Store mode under H2O on the 128 bucket, prompt <n>, serves what H2O alone serves
    H2O keeps a third of 128 tokens, about 43, all inside the hot zones (4 sink and 32 recent tokens)
    and the page still taking appends, so no page is released; attention must still read exactly what
    H2O alone would.
    Given the stories260K model
    And an H2O KV cache keeping 0.3333 of the tokens
    And lossless compression in store mode on every layer
    When I run the bundled prompt prompt_128_<n> and 16 greedy tokens with and without compression
    Then every step's logits are bit-identical to the uncompressed run

    @quick
    Examples:
      | n |
      | 1 |
      | 2 |
      | 3 |
