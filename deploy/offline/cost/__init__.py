"""Monthly cost estimate of a rendered stack: pinned prices, pure arithmetic, no AWS call.

The price tables (per region, with sources and the date they were read) are AWS facts
(`deploy.aws.prices`). `model` holds the arithmetic (counts to dollars, 730 hours a month),
`lines` one function per part of the bill, `estimate` reads an offline plan
(`deploy.offline.engine.Rendered`) into itemised lines, and `report` prints them.
"""

from ...aws.prices import TABLES, PriceTable, table_for
from .estimate import Estimate, estimate
from .model import Assumptions, Line

__all__ = ["TABLES", "Assumptions", "Estimate", "Line", "PriceTable", "estimate", "table_for"]
