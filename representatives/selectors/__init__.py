"""Read queries of the representatives app, scoped by liaison.access, one module per subject."""
