"""yuanjiang — 援疆成效台账."""
