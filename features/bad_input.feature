@quick
Feature: Bad input gets a clear error
  A corrupt model file, a file that is no model at all, a tokenizer that belongs to another model or
  a prompt longer than the context must each be refused with a message that names the problem:
  never a crash, a hang, or silently wrong output.

  Scenario: A truncated llama2.c checkpoint
    Given a copy of the stories260K checkpoint truncated to 500000 bytes
    When I load it
    Then it is refused with a message containing "truncated or corrupt"

  Scenario: A file that is no model
    Given a file of 4096 random bytes posing as a model
    When I load it
    Then it is refused with a message containing "unknown model format"

  Scenario: A GGUF file cut short after its header
    Given a GGUF file that ends after its header
    When I load it
    Then it is refused with a message containing "truncated"

  Scenario: A GGUF tensor of a type the engine cannot compute with
    Given the stories260K model converted to GGUF with tensor type id 99 in place of F32
    When I load it
    Then it is refused with a message containing "unsupported GGML tensor type id 99"

  Scenario: A tokenizer whose vocabulary does not fit the model
    Given a random GGUF model with a vocabulary of 1000 and the stories260K tokenizer
    When I load it
    Then it is refused with a message containing "tokenizer has 512 pieces but the model expects 1000"

  Scenario: A truncated tokenizer file
    Given the stories260K checkpoint with a tokenizer truncated to 3000 bytes
    When I load it
    Then it is refused with a message containing "truncated"

  Scenario: A prompt longer than the context
    When I feed the stories260K model a prompt of 40 tokens with a context of 32
    Then it is refused with a message containing "the prompt has 40 tokens but the context holds 32"
