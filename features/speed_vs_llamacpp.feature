@slow @parity @goal-vs-llama-cpp
Feature: heavykv decodes about as fast as llama.cpp on the same GGUF
  Users compare heavykv with llama.cpp, so heavykv's speed is judged against llama.cpp itself, run on the same
  file in the same run, as `heavykv bench --reference llama.cpp` does it: node-llama-cpp 3.21.1's prebuilt CPU
  build (tools/llamacpp-ref, installed by ci/llamacpp.sh), the very same prompt ids, one thread each, the same
  generation length, FP16 KV on both sides. The engines take turns inside every repeat (who
  goes first alternates), so a burst of other work lands on both; the verdict is the median of the per-repeat
  ratios heavykv / llama.cpp of decode tok/s. JVM start-up, model load and JIT warm-up are outside heavykv's
  times; process start and model load outside llama.cpp's. One thread, because with two llama.cpp's workers
  spin-wait on each other, and on a busy machine its decode collapses (1 tok/s against 700 with one thread,
  on stories260K): the scenario would take many minutes and measure the machine, not the engines.

  Why 0.2, far below the 0.9 the project aims at: the bound must catch heavykv getting slower, never a busy
  machine. Five runs of this scenario's measurement (three by the command, two by the scenario) on a 2-core
  machine shared with five other jobs (load 12-24, 2026-12-03) gave medians of 0.34, 0.38, 0.40, 0.46 and
  0.63, with single repeats from 0.31 to 0.79. A median of five below 0.2 needs three repeats a third lower
  than the lowest single repeat seen: heavykv decoding at about half its present pace against llama.cpp. (The
  same model at 32 generated tokens once gave a lone repeat of 0.17 in five whose median was 0.42: single
  repeats do stray that far, medians of five did not.) The goal itself, 0.9 (allure/goals.json), is shown on
  the report's goals page beside the measured median. Each run took 3.5 minutes on that machine, well under
  one on a quiet one.

  Scenario: SmolLM2-135M Q4_1 decodes at least a fifth as fast as llama.cpp, by the median of 5 interleaved repeats
    Given the SmolLM2-135M-Instruct Q4_1 model
    When heavykv and llama.cpp each decode 64 tokens after the same 128-token prompt on one thread, interleaved, 5 times
    Then heavykv decodes at least 0.2 times as fast as llama.cpp, by the median of the paired ratios

  Scenario: A model llama.cpp cannot read ends the comparison with one clear line
    heavykv reads llama2.c checkpoints; llama.cpp reads only GGUF, and says so before anything is measured.
    Given the stories260K model
    When I compare its speed with llama.cpp's
    Then the comparison ends with one line naming the file and llama.cpp's reason
