"""capplan: the Inference Cost & Capacity Planner for AI inference on Azure."""

__version__ = "0.1.0"
