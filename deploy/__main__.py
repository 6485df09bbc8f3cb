import sys

from .stack import lazy_aws

lazy_aws.enable()  # a command-line process: load pulumi_aws classes one at a time, as the program uses them

from .cli import main

sys.exit(main())
