"""Microsoft 365 access: the only package that knows Graph's URLs and field names."""
