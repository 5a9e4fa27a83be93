# man: rules owned by the man work
