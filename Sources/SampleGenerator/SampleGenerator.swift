// Synthetic exports: see SampleGenerator.swift.
