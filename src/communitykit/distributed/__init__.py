"""
Compute KPIs on a Dask cluster: the same :class:`~communitykit.kpi.KPIFrame`, beyond one machine.

:func:`compute_distributed` takes a folder of Parquet files (hive-partitioned ``community=…/``
or not) or a dask DataFrame and returns exactly the frame :func:`communitykit.compute` returns
on the whole log loaded in memory: the same rows in the same order, the same values, the same
suppression. It needs the ``dask`` extra (``pip install 'communitykit[dask]'``).

How it works
------------
1. **Partition by community.** A folder written with ``partition_by="community"`` is read one
   community folder at a time (small communities packed together, no shuffle, in partitions
   of about equal events, a multiple of the cluster's worker threads); any other
   source is shuffled by community (dask's hash shuffle, which spills to disk). Each partition
   then holds every event of its communities.
2. **Threads stay together.** A reply whose parent lives in another community links the two
   communities: each partition reports the parent references it cannot resolve; if there are
   any, the linked communities are joined into one cluster (union-find) and the events are
   shuffled again by cluster, so every thread is whole in one partition.
3. **One range for all.** ``start``, ``end`` and ``as_of`` are resolved once for the whole
   log (first and last accepted event, as the local engine does) and passed to every
   partition, so the period bins agree. The bounds come from the Parquet statistics of the
   time column when there are any (otherwise a first pass reads the partitions) and are
   checked against what each partition actually accepted; if they differ (rejected rows at
   the edges), the partitions are computed again.
4. **The existing engine per partition.** Each partition is read with the same checks as
   :func:`communitykit.read_events` (rejects included) and computed with
   :func:`communitykit.compute`; the frames are concatenated and put in the engine's row order
   (KPI, group, period).

Merge strategy per KPI
----------------------
Which strategy a KPI gets is :func:`merge_strategy`; all of them are exact.

* **partition** -- ``by="community"``: every built-in KPI except ``health_index``
  (activity, participation, responsiveness, growth, retention, orbit, the six ``health_*``
  factors), the network KPIs such as ``ei_index`` and ``tie_reciprocity``, the survey KPIs,
  formula KPIs. Group-local: computed per partition by the engine, rows concatenated.
* **rank** -- ``by="community"``: ``health_index``. Not group-local: it ranks the groups of
  each period against each other. The six raw factors and the active head count are computed
  per partition without suppression, then ranked across all groups with
  :func:`~communitykit.kpi.percentile_scores` and weighted exactly as the engine does.
* **merge** -- ``by=None`` or ``"org_unit"``: ``events``, ``posts``, ``replies``,
  ``reactions``, ``views``, ``active_members``, ``contributors``, ``creators``. Per
  partition, person-level values (``by="actor"``, never returned) are computed without
  suppression; per person and period they are added across partitions (counts) or merged with
  ``max`` (a person counts once), then added per group; ``n`` is the number of distinct active
  people from the merged per-person flags; suppression is applied afterwards.
* **gather** -- ``by=None`` or ``"org_unit"``: every other KPI. Not mergeable from these
  partial states: distinct people per sub-period (DAU, WAU, MAU, stickiness), first activity
  across communities (growth, retention), distributions (Gini, top share, onion layers),
  responses across groups, ranks and ties between groups. The partitions' logs are gathered
  into the client and computed by the local engine -- exact, but the whole log must fit in the
  client's memory: refused with a :class:`~communitykit.errors.ConfigError` above
  *gather_limit* events.

Plugin KPIs are treated like the built-ins: group-local, as the
:class:`~communitykit.kpi.Facts` contract asks (a compute function reads its group's events
through the facts). A plugin KPI whose value for one group needs the other groups is not
supported by the **partition** strategy; compute it with ``by=None`` or with the local engine.

Where things are: ``_compute`` the entry point :func:`compute_distributed`; ``_strategy``
:func:`merge_strategy` and the grouping grain; ``_sources`` reading and packing the partitions;
``_tasks`` the work on one partition; ``_merge`` combining the partitions' results.

.. versionadded:: 0.1
"""

from __future__ import annotations

from communitykit._deprecation import renamed_attributes
from communitykit.distributed._compute import compute_distributed
from communitykit.distributed._strategy import MERGE_STRATEGIES, merge_strategy

__all__ = ["MERGE_STRATEGIES", "compute_distributed", "merge_strategy"]

__getattr__ = renamed_attributes(__name__, {"compute": "compute_distributed"})
