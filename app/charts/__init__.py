"""Chart definitions: engine results to renderer-neutral specs (`spec.Chart`), and their renderers."""
