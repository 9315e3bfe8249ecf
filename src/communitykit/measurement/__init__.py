"""
The measurement model ("Messmodell"): purpose -> objectives -> KPIs -> data sources -> targets.

One TOML file says why a community is measured (its purpose), which objectives it pursues
(OKRs and/or a Balanced Scorecard, optionally a Wissensbilanz), which KPIs show progress
(built-in, plugin or formula KPIs, with targets), where the data comes from (event files, the
people directory, survey answers) and what business benefit is claimed (use cases and stories).
:meth:`MeasurementModel.evaluate` runs all of it and returns one :class:`Measurement`: a typed,
JSON-serialisable result that reports and the measurement store consume.

Two worked examples ship with the package: a Working Out Loud programme (``"wol"``) and a
community of practice (``"community-of-practice"``); see :func:`builtin_models`.

Where things are: ``_model`` :class:`MeasurementModel` (reading and evaluating); ``_specs`` its
parts (KPI, survey and impact specifications); ``_result`` :class:`Measurement`; ``_schema`` its
JSON schema.

.. versionadded:: 0.1
"""

from communitykit._deprecation import renamed_attributes
from communitykit.measurement._model import MeasurementModel, builtin_models
from communitykit.measurement._result import Measurement
from communitykit.measurement._schema import MEASUREMENT_SCHEMA, MEASUREMENT_SCHEMA_VERSION
from communitykit.measurement._specs import ImpactSpec, KPISpec, SurveySpec

# documented, cross-referenced and pickled as communitykit.measurement.<name>
for _cls in (ImpactSpec, KPISpec, Measurement, MeasurementModel, SurveySpec):
    _cls.__module__ = __name__
del _cls

__all__ = [
    "MEASUREMENT_SCHEMA",
    "MEASUREMENT_SCHEMA_VERSION",
    "ImpactSpec",
    "KPISpec",
    "Measurement",
    "MeasurementModel",
    "SurveySpec",
    "builtin_models",
]

__getattr__ = renamed_attributes(__name__, {"SCHEMA_VERSION": "MEASUREMENT_SCHEMA_VERSION"})
