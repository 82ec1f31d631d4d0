"""The hostile-input corpus: generated bad files, scenarios and paths run through the real command line."""
