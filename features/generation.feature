@quick
Feature: Generation from a real model
  heavykv runs real Llama models. On the tiny stories260K model its greedy text must be the text
  the reference C implementation (llama2.c) prints, whatever KV storage type or file format carries
  the model, so every later figure is measured on a correct engine.

  Scenario Outline: Greedy text matches the reference implementation with <dtype> KV
    Given the stories260K model
    And KV stored as <dtype>
    When I generate 40 tokens greedily from "Once upon a time"
    Then the text starts with "Once upon a time, there was a little girl named Lily. She loved to play outside in the park."
    And the cache kept every token

    Examples:
      | dtype |
      | FP16  |
      | FP32  |

  Scenario: The model converted to GGUF F32 generates the same text
    Given the stories260K model converted to GGUF F32
    When I generate 40 tokens greedily from "Once upon a time"
    Then the text starts with "Once upon a time, there was a little girl named Lily. She loved to play outside in the park."

  Scenario: The GGUF llama.cpp's own converter wrote generates llama.cpp's text
    Given the stories260K model as llama.cpp converted it
    When I generate 64 tokens greedily from "Once upon a time"
    Then the text starts with "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it, but it was too high."

  Scenario: Greedy generation is deterministic
    Given the stories260K model
    When I generate 80 tokens greedily from "The little dog"
    Then generating again gives the same text
