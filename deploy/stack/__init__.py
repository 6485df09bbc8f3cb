"""The stack program: `build(config)` creates every resource of a stack through the components.

    program   build(): wires component outputs to inputs; export(): the stack outputs
    args      config + resolved values -> each component's Args (all translation in one place)
    runtime   the config `pulumi up` hands the program
    sdk       the private Pulumi SDK names this project relies on, in one place
    lazy_aws  an import hook that loads pulumi_aws classes one at a time (opt-in, per process)

Importing this package imports nothing else.
"""
