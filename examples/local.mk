# examples: rules owned by the examples work
