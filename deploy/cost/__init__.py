"""Monthly cost estimate of a rendered stack: pinned prices, pure arithmetic, no AWS call.

`prices` holds the price tables (per region, with sources and the date they were read),
`model` the arithmetic (counts to dollars, 730 hours a month), `estimate` reads an
offline plan (`deploy.offline.Rendered`) into itemised lines, and `report` prints them.
"""

from .estimate import Assumptions, Estimate, Line, estimate
from .prices import TABLES, PriceTable, table_for

__all__ = ["Assumptions", "Estimate", "Line", "PriceTable", "TABLES", "estimate", "table_for"]
