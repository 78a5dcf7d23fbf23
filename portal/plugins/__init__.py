"""MkDocs plugins of the portal, one folder per feature (as Material organises its plugins)."""
