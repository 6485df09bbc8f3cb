"""One module per `python -m deploy` command; each defines `register(subparsers)`."""
