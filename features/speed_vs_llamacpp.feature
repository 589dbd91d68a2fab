@slow @parity @goal-vs-llama-cpp
Feature: heavykv decodes about as fast as llama.cpp on the same GGUF
  Users compare heavykv with llama.cpp, so heavykv's speed is judged against llama.cpp itself, run on the same
  file in the same run, as `heavykv bench --reference llama.cpp` does it: node-llama-cpp 3.21.1's prebuilt CPU
  build (tools/llamacpp-ref, installed by ci/llamacpp.sh), the very same prompt ids, the same threads (all
  cores), the same generation length, FP16 KV on both sides. The engines take turns inside every repeat (who
  goes first alternates), so a burst of other work lands on both; the verdict is the median of the per-repeat
  ratios heavykv / llama.cpp of decode tok/s. JVM start-up, model load and JIT warm-up are outside heavykv's
  times; process start and model load outside llama.cpp's.

  TOLERANCE

  Scenario: SmolLM2-135M Q4_1 decodes at least half as fast as llama.cpp, by the median of 5 interleaved repeats
    Given the SmolLM2-135M-Instruct Q4_1 model
    When heavykv and llama.cpp each decode 64 tokens after the same 128-token prompt, interleaved, 5 times
    Then heavykv decodes at least 0.5 times as fast as llama.cpp, by the median of the paired ratios

  Scenario: A model llama.cpp cannot read ends the comparison with one clear line
    heavykv reads llama2.c checkpoints; llama.cpp reads only GGUF, and says so before anything is measured.
    Given the stories260K model
    When I compare its speed with llama.cpp's
    Then the comparison ends with one line naming the file and llama.cpp's reason
