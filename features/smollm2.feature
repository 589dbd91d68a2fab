@slow @smollm2 @goal-no-crash @goal-lossy
Feature: H2O on a real model, SmolLM2-135M-Instruct
  SmolLM2 has what stories260K lacks: trained heads of size 64, grouped-query attention (9 query heads on
  3 KV heads), 30 layers and an 8192-token context. H2O keeping a third of the tokens must plan validly and
  reach the 3x lossy goal on every prose prompt bucket (128, 512, 2048 and 8192 SmolLM2 tokens, three prompts
  each, cut from Jane Austen: engine resources heavykv/prose), with FP16 and FP32 KV, in every position mode:
  each bucket runs both storage types and all three modes. ci/models.sh fetches the model.

  Scenario Outline: SmolLM2 under H2O on prose_<bucket>_<n>, <dtype> KV, <keys>
    Given the SmolLM2-135M-Instruct Q4_1 model
    And an H2O KV cache keeping 0.3333 of the tokens
    And KV stored as <dtype>
    And <keys>
    When I generate 16 tokens greedily after the bundled prompt prose_<bucket>_<n>
    Then no reserve plan was rejected
    And the lossy ratio on the evicting layers is at least 3.0

    Examples:
      | bucket | n | dtype | keys                                                         |
      | 128    | 1 | FP16  | keys rotated by their original position when stored          |
      | 128    | 2 | FP32  | keys stored unrotated and rotated by their original position |
      | 128    | 3 | FP16  | keys rotated by their cache slot                             |
      | 512    | 1 | FP32  | keys rotated by their original position when stored          |
      | 512    | 2 | FP16  | keys stored unrotated and rotated by their original position |
      | 512    | 3 | FP32  | keys rotated by their cache slot                             |
      | 2048   | 1 | FP16  | keys rotated by their original position when stored          |
      | 2048   | 2 | FP32  | keys stored unrotated and rotated by their original position |
      | 2048   | 3 | FP16  | keys rotated by their cache slot                             |
      | 8192   | 1 | FP32  | keys rotated by their original position when stored          |
      | 8192   | 2 | FP16  | keys stored unrotated and rotated by their original position |
      | 8192   | 3 | FP32  | keys rotated by their cache slot                             |

  Scenario: SmolLM2's KV memory under H2O stays flat as the sequence grows past its 8192-token context
    H2O with a fixed capacity of a third of the context (2730 tokens a layer) decodes greedily from the end of
    the 7384-token prompt to 8704 tokens, past the trained context (keys rotated by their cache slot, so the
    positions attention sees stay inside it); once full, its KV bytes stay bounded by what the tokens it holds
    need instead of growing with the sequence.
    Given the SmolLM2-135M-Instruct Q4_1 model
    And KV stored as FP16
    And keys rotated by their cache slot
    When I decode after the bundled prompt prose_8192_1 under H2O holding at most 2730 tokens, checking the KV at 8192, 8448 and 8704 tokens
    Then H2O's KV bytes stay within an eighth and one page per layer of what the tokens it holds need, at every checkpoint
