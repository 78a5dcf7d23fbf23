"""The patient portal's site generator: content model, validation and the MkDocs plugin."""
