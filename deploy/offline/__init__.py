"""The offline engine, and what reads a rendered plan: no Pulumi CLI, no AWS account, no network.

    engine      runs the stack program under Pulumi mocks and records every registration
    plan        render a config; the plan as text and as the contracted JSON
    view        lookups over a rendered plan shared by its readers (task sizes, log groups)
    cost        the monthly cost estimate
    diagram     the architecture diagram
    diff        what changes between two renders, with the replacements it forces
    compliance  the policy pack's controls over the plan
"""
