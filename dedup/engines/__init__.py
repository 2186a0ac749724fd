"""Engines run the same stage functions on one machine (local) or on a cluster."""
