"""
The measurement store: a history of every measurement run in one SQLite file.

A :class:`Run` holds what went in (inputs with content hashes, parameters, versions) and what
came out (KPI values, OKR check-ins, lifecycle assessments and transitions, task statuses) as
plain records; :class:`Store` writes each run in one transaction and reads the history back as
a :class:`~communitykit.kpi.KPIFrame`.

Where things are: ``_run`` :class:`Run` and :class:`Input` (a run as records, its content-hash
id); ``_store`` :class:`Store` (open, save, read); ``_results`` what it answers besides KPI
values (:class:`RunInfo`, :class:`RunComparison`); ``_schema`` the tables and their forward
migrations; ``_failures`` one error in words for each way SQLite fails.

.. versionadded:: 0.1
"""

from communitykit._deprecation import renamed_attributes
from communitykit.store._results import RunComparison, RunInfo, RunTable, StoredRows
from communitykit.store._run import Input, Run, current_versions
from communitykit.store._schema import STORE_SCHEMA_VERSION
from communitykit.store._store import Store, open_store

# documented, cross-referenced and pickled as communitykit.store.<name>
for _cls in (RunComparison, RunInfo, RunTable, Store):
    _cls.__module__ = __name__
del _cls

__all__ = [
    "STORE_SCHEMA_VERSION",
    "Input",
    "Run",
    "RunComparison",
    "RunInfo",
    "RunTable",
    "Store",
    "StoredRows",
    "current_versions",
    "open_store",
]

__getattr__ = renamed_attributes(__name__, {"SCHEMA_VERSION": "STORE_SCHEMA_VERSION"})
