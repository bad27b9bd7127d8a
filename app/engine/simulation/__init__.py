"""Time-series simulation: autoscale (azureml-fe target utilization, Azure Monitor autoscale rules)
and PTU spillover, step by step over synthetic or replayed traffic. Pure: numbers in, numbers out.

Entry points: `run.simulate_variants`, `run.synthetic_traffic`, `replay.ReplaySeries`,
`replay.replay_fit`. Settings are the frozen dataclasses of `settings.py`.
"""
