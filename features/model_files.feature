@quick
Feature: The shared model files
  Every acceptance scenario that runs the engine on a real model reads the files in the
  shared models folder. If one of them were truncated or replaced, those scenarios would
  fail for a reason that has nothing to do with the engine, so the files are checked first
  against the checksums published in the model's README.

  Scenario: The shared stories260K model files are intact
    Given the stories260K model directory
    Then its files have these sha256 checksums:
      | file               | sha256                                                           |
      | stories260K.bin    | b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696 |
      | stories260K-v1.bin | 9ab1bf3d0c9900ce357fb38b0f42c3252e0ad478400bf7093efa133c8fa60723 |
      | tok512.bin         | 037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312 |
