@slow
Feature: Long context on SmolLM2: KV bytes, process memory and time per token by position
  A model generating far past its prompt is where eviction pays: the full cache grows with every token while
  StreamingLLM and H2O hold a fixed budget, and store mode holds H2O's kept pages as lossless frames. The run
  behind the README's chart (`./heavykv stress -m smollm2 --long-run`, 2048-token prose prompt) takes hours on a
  loaded 2-core machine; CI runs the same measurement shorter, and the report shows its chart.
  Not asserted: that store mode holds less than H2O alone. In the README's run (768 tokens past the prompt, 512
  per layer) it held more (14.4 MB against 12.8 MB at the end) and its process memory doubled (1.0 -> 2.3 GB).

  Scenario: SmolLM2 generating 256 tokens after a 512-token prose prompt with every long-context cache
    Given the SmolLM2-135M-Instruct Q4_1 model
    And KV stored as FP16
    And keys stored unrotated and rotated by their original position
    When I generate 256 tokens after the bundled prompt prose_512_1 with the full cache, StreamingLLM, H2O and H2O with store mode at a budget of 256 tokens, recording every 32
    Then the full cache's KV memory grows with every checkpoint
    And StreamingLLM and H2O hold less than 0.5 of the full cache's KV at the last point
