@quick
Feature: The default model's files
  Every acceptance scenario that runs the engine on stories260K reads the copy carried in the
  repository's models folder. If one of its files were truncated or replaced, those scenarios would
  fail for a reason that has nothing to do with the engine, so the files are checked first against
  the checksums published in the model's README.

  Scenario: The repository's stories260K model files are intact
    Given the stories260K model directory
    Then its files have these sha256 checksums:
      | file            | sha256                                                           |
      | stories260K.bin | b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696 |
      | tok512.bin      | 037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312 |
