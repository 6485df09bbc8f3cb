"""A stack's configuration: read it, parse it into the typed model, check it, resolve what follows from it.

    source    where the config comes from (the project's stack files)
    model     the typed model: keys, types, single-value limits, defaults
    rules     rules that relate several settings, by concern
    parse     raw config -> StackConfig, or one ConfigError listing every problem
    resolve   every derived value of a checked config, computed once
    reference the README's configuration reference, generated from the model

Importing the package imports none of them: the stack program reads the model and
`resolve` without loading the rules.
"""
