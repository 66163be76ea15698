"""Changes to a stored schedule after it was generated or published: preview, apply, undo,
history. Every change is one small revision of its version, checked and audited."""
