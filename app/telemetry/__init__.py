"""Azure Monitor telemetry: configuration, pulls through the real SDKs, record/replay, demo data."""
