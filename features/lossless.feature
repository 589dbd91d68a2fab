@quick
Feature: Lossless compression never changes what attention reads
  In store mode the raw KV of compressed pages is dropped and restored from its frames before attention
  needs it. Decoding must then be bit-for-bit the decoding of an uncompressed cache.

  Scenario Outline: Store mode gives bit-identical logits with <dtype> KV
    Given the stories260K model
    And KV stored as <dtype>
    And lossless compression in store mode on every layer
    When I run the bundled prompt prompt_512_1 and 24 greedy tokens with and without compression
    Then every step's logits are bit-identical to the uncompressed run
    And compressed pages replaced raw ones
    And the lossless ratio is at least 1.08

    Examples:
      | dtype |
      | FP16  |
      | FP32  |

  Scenario: Store mode under H2O eviction gives the same logits as H2O alone and holds the kept KV as frames
    H2O leaves most kept pages under-full after compacting them; they are compressed all the same. On a cache
    this small (about 120 KB kept) what the codecs learn and the decode caches outweigh what the frames save, so
    counting every byte store mode holds it takes more than H2O alone here; SmolLM2's scenarios judge the memory.
    Given the stories260K model
    And an H2O KV cache keeping 0.3333 of the tokens
    And lossless compression in store mode on every layer
    When I run the bundled prompt prompt_512_1 and 24 greedy tokens with and without compression
    Then every step's logits are bit-identical to the uncompressed run
    And compressed pages replaced raw ones
    And the lossless ratio is at least 1.1

  @goal-lossless
  Scenario Outline: Context modelling compresses unrotated FP16 KV of the <bucket>-token prompt 1.3x in <block>-token pages (<keys>)
    Frames count in full (32-byte headers). Each block may only use a context model trained on the blocks
    before it, and the codec is chosen online as the runtime does. Keys are stored unrotated, so in the first
    layer K and V are a function of the token and a repeated token's row costs a reference. Both ways of
    rotating at read time store the same unrotated keys; rotating by the original position keeps absolute
    attention.
    Given the stories260K model
    And <keys>
    When I capture the KV of the bundled prompt prompt_<bucket>_1
    Then the simulated online lossless ratio with <block>-token blocks is at least 1.3

    Examples:
      | bucket | block | keys                                                      |
      | 512    | 32    | keys rotated by their cache slot                          |
      | 512    | 128   | keys rotated by their cache slot                          |
      | 2048   | 32    | keys rotated by their cache slot                          |
      | 2048   | 128   | keys rotated by their cache slot                          |
      | 512    | 32    | keys stored unrotated and rotated by their original position |
      | 512    | 128   | keys stored unrotated and rotated by their original position |
      | 2048   | 32    | keys stored unrotated and rotated by their original position |
      | 2048   | 128   | keys stored unrotated and rotated by their original position |
