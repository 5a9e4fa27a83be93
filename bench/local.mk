# bench: rules owned by the bench work
