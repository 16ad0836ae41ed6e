// SampleGenerator: synthetic exports of every source at municipality, county or national scale
// (lagesbild sample), deterministic from a seed.
