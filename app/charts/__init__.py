"""Chart definitions: data in, figure out (one definition per chart)."""
