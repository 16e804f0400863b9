"""Resource groups: one module per area of Ed's API."""
