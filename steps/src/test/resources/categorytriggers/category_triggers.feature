Feature: Each kind of failure lands in its report category
  Not an acceptance scenario: every scenario here fails on purpose, in one way, to show that the report files
  that kind of failure where a reader will look for it. The category-triggers execution of steps/pom.xml runs
  them apart from the acceptance run, and ci/check-categories.py checks that each one lands in the category its
  tag names (@expect-product, @expect-test or @expect-environment), and in no other.

  @expect-product
  Scenario: A measured figure outside its bound is a product defect
    Given the stories260K model
    And an H2O KV cache keeping 0.3333 of the tokens
    When I generate 8 tokens greedily from "Once upon a time"
    Then the lossy ratio on the evicting layers is at least 1000.0

  @expect-product
  Scenario: An exception the engine throws inside a step is a product defect
    Given the stories260K model
    And a context of 8 tokens
    When I generate 8 tokens greedily after the bundled prompt prompt_128_1

  @expect-test
  Scenario: An exception in step code is a test defect
    When I generate 8 tokens greedily from "Once upon a time"

  @expect-test
  Scenario: A missing fixture is a test defect
    Given the stories260K model
    When I generate 8 tokens greedily after the bundled prompt prompt_128_999

  @expect-test
  Scenario: A step no step definition matches is a test defect
    Given the stories260K model
    When a step nobody has written runs

  @expect-environment
  Scenario: A missing model is an environment problem
    Given the stories9000T model directory

  @expect-environment
  Scenario: An unreachable model registry is an environment problem
    Given the model registry at "http://127.0.0.1:9/" answers
