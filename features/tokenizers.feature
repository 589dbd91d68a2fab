@quick
Feature: Tokenizers exactly as llama.cpp's
  A GGUF model carries its tokenizer in its metadata, and a model only works when its prompt becomes the
  ids it was trained on. heavykv must turn text into exactly the ids llama.cpp does, on llama.cpp's own
  test suites: sentencepiece (Llama 2 and most Llama-family GGUFs) and byte-level BPE with GPT-2's and
  starcoder's pre-tokenizers (starcoder's is also SmolLM's).

  Scenario Outline: llama.cpp's <suite> suite gives llama.cpp's ids for every input
    Given llama.cpp's tokenizer suite <suite>
    When every input is tokenized as llama.cpp's test does, without BOS and with special pieces as text
    Then every input gives llama.cpp's ids

    Examples:
      | suite                |
      | ggml-vocab-llama-spm |
      | ggml-vocab-gpt-2     |
      | ggml-vocab-starcoder |
