"""Small helpers shared by the domain apps (no models, no business rules)."""
