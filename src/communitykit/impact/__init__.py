"""
Programme impact: what did a programme change, compared with colleagues who did not take part?

Staggered difference-in-differences (Callaway & Sant'Anna 2021) on people and periods: the
group-time effects ATT(g, t), their aggregation overall, by periods since the start (event
study), by cohort and by calendar period, a multiplier bootstrap clustered by person with
simultaneous bands, and a pre-trend (placebo) test with every result. The estimator is this
package's own numpy code, cross-checked against the published ``mpdta`` results of the R
package ``did``.

Where things are: ``_api`` :func:`estimate` and :func:`build_panel` (from an event log);
``_inputs`` the participants and outcomes files and :func:`participants_from_log`; ``_panel``
:class:`Panel`; ``_did`` the group-time effects from per-cohort sufficient statistics;
``_estimate`` :func:`estimate_panel` (aggregation, bootstrap, covariates); ``_result``
:class:`ImpactResult`.

.. versionadded:: 0.1
"""

from communitykit._deprecation import renamed_attributes
from communitykit.impact._api import build_panel, estimate, panel_covariates
from communitykit.impact._estimate import estimate_panel
from communitykit.impact._inputs import (
    ACTIVITY_OUTCOMES,
    NETWORK_OUTCOMES,
    OutcomesResult,
    OutcomeTable,
    Participants,
    ParticipantsResult,
    log_outcomes,
    participants_from_log,
    read_outcomes,
    read_participants,
)
from communitykit.impact._panel import Panel
from communitykit.impact._result import (
    ASSUMPTIONS,
    IMPACT_SCHEMA,
    IMPACT_SCHEMA_VERSION,
    Aggregate,
    AggregateTable,
    GroupTimeEffect,
    GroupTimeTable,
    ImpactResult,
    PreTrend,
    Ratio,
    Suppressed,
)

__all__ = [
    "ACTIVITY_OUTCOMES",
    "ASSUMPTIONS",
    "IMPACT_SCHEMA",
    "IMPACT_SCHEMA_VERSION",
    "NETWORK_OUTCOMES",
    "Aggregate",
    "AggregateTable",
    "GroupTimeEffect",
    "GroupTimeTable",
    "ImpactResult",
    "OutcomeTable",
    "OutcomesResult",
    "Panel",
    "Participants",
    "ParticipantsResult",
    "PreTrend",
    "Ratio",
    "Suppressed",
    "build_panel",
    "estimate",
    "estimate_panel",
    "log_outcomes",
    "panel_covariates",
    "participants_from_log",
    "read_outcomes",
    "read_participants",
]

__getattr__ = renamed_attributes(__name__, {"Cell": "GroupTimeEffect", "SCHEMA": "IMPACT_SCHEMA"})
