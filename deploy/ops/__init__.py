"""Operations on real stacks through the Pulumi Automation API, for embedding (no argparse, no CLI wording).

    api        preview, up, refresh, destroy, outputs, release: the functions to call
    workspace  the workspace over this project directory, engine events, summaries
    failures   what the Automation API raises, as one line a person can act on
    release    image-only releases: the one config key, and proof nothing else changes
"""
