"""One module a task: its result type, loading its models, running them, its code snippet."""
