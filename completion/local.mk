# completion: rules owned by the completion work
