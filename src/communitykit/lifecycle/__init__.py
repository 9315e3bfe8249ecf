"""
Lifecycle stages and models, the lifecycle state machine, and stage inference from activity.

Every model maps its stages onto the :data:`CANONICAL_PHASES`, so models can be compared and
translated (:func:`translate`). The built-in models ship as TOML files in this package
(:func:`available_models`); your own load with :func:`load_model` and the same validation.

Where things are: ``_model`` stages, models, the canonical phases and translation; ``_machine``
:class:`CommunityLifecycle`, the state machine; ``_signals`` the signals per group and period
(:func:`compute_signals`); ``_rules`` the inference rules as data with their evidence;
``_infer`` the decision (:func:`infer_stage`, :func:`infer_stages`); ``data/`` the built-in
models.

.. versionadded:: 0.1
"""

from __future__ import annotations

from communitykit.lifecycle._infer import (
    SIGNALS,
    Condition,
    Evidence,
    InferenceRules,
    RuleFunction,
    Signals,
    StageAssessment,
    StageAssessments,
    StageRule,
    Threshold,
    Windows,
    compute_signals,
    format_signal,
    infer_stage,
    infer_stages,
    load_inference_rules,
    say_condition,
    theil_sen_slope,
)
from communitykit.lifecycle._machine import CommunityLifecycle, Transition
from communitykit.lifecycle._model import (
    CANONICAL_PHASES,
    OPERATORS,
    SOURCE_STATUSES,
    TASK_PHASES,
    Assumption,
    Competency,
    Indicator,
    LifecycleModel,
    Parameter,
    Source,
    Stage,
    available_models,
    load_model,
    translate,
)

__all__ = [
    "CANONICAL_PHASES",
    "OPERATORS",
    "SIGNALS",
    "SOURCE_STATUSES",
    "TASK_PHASES",
    "Assumption",
    "CommunityLifecycle",
    "Competency",
    "Condition",
    "Evidence",
    "Indicator",
    "InferenceRules",
    "LifecycleModel",
    "Parameter",
    "RuleFunction",
    "Signals",
    "Source",
    "Stage",
    "StageAssessment",
    "StageAssessments",
    "StageRule",
    "Threshold",
    "Transition",
    "Windows",
    "available_models",
    "compute_signals",
    "format_signal",
    "infer_stage",
    "infer_stages",
    "load_inference_rules",
    "load_model",
    "say_condition",
    "theil_sen_slope",
    "translate",
]
