@slow @smollm2 @goal-no-crash @goal-lossy
Feature: H2O on a real model, SmolLM2-135M-Instruct
  SmolLM2 has what stories260K lacks: trained heads of size 64, grouped-query attention (9 query heads on
  3 KV heads), 30 layers and an 8192-token context. H2O keeping a third of the tokens must plan validly and
  reach the 3x lossy goal on every bundled prompt, with FP16 and FP32 KV, keys stored rotated or unrotated.
  (The bundled prompts are counted in stories260K's tokens; in SmolLM2's they are about half as long.)
  ci/models.sh fetches the model.

  Scenario Outline: SmolLM2 under H2O on prompt_<bucket>_<n>, <dtype> KV, <keys>
    Given the SmolLM2-135M-Instruct Q4_1 model
    And an H2O KV cache keeping 0.3333 of the tokens
    And KV stored as <dtype>
    And <keys>
    When I generate 16 tokens greedily after the bundled prompt prompt_<bucket>_<n>
    Then no reserve plan was rejected
    And the lossy ratio on the evicting layers is at least 3.0

    Examples:
      | bucket | n | dtype | keys                                                    |
      | 512    | 1 | FP16  | keys rotated by their original position when stored          |
      | 512    | 2 | FP32  | keys rotated by their original position when stored          |
      | 512    | 3 | FP16  | keys stored unrotated and rotated by their original position |
      | 2048   | 1 | FP16  | keys rotated by their original position when stored          |
      | 2048   | 2 | FP32  | keys stored unrotated and rotated by their original position |
      | 2048   | 3 | FP16  | keys stored unrotated and rotated by their original position |
