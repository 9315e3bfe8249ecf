"""
Programme impact: what did a programme change, compared with colleagues who did not take part?

Staggered difference-in-differences (Callaway & Sant'Anna 2021) on people and periods: the
group-time effects ATT(g, t), their aggregation overall, by periods since the start (event
study), by cohort and by calendar period, a multiplier bootstrap clustered by person with
simultaneous bands, and a pre-trend (placebo) test with every result. The estimator is this
package's own numpy code, cross-checked against the published ``mpdta`` results of the R
package ``did``.

.. versionadded:: 0.1
"""

from communitykit.impact._estimate import estimate_panel
from communitykit.impact._panel import Panel
from communitykit.impact._result import (
    ASSUMPTIONS,
    SCHEMA,
    Aggregate,
    Cell,
    ImpactResult,
    PreTrend,
    Ratio,
    Suppressed,
)

__all__ = [
    "ASSUMPTIONS",
    "SCHEMA",
    "Aggregate",
    "Cell",
    "ImpactResult",
    "Panel",
    "PreTrend",
    "Ratio",
    "Suppressed",
    "estimate_panel",
]
