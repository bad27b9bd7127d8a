"""One module per option kind; importing this package registers them all (see registry.py)."""

from app.engine.kinds import aml_batch, aml_online, aoai_batch, aoai_provisioned, aoai_standard

__all__ = ["aml_batch", "aml_online", "aoai_batch", "aoai_provisioned", "aoai_standard"]
