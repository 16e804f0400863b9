"""pyedstem."""
