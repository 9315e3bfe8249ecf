"""
The ONA measures, one module per topic.

Internal: import them from :mod:`communitykit.network.metrics`, their public home. Topics:
``centrality``, ``structural_holes``, ``groups``, ``whole`` (whole network) and ``dual_os``;
``_common`` holds what several topics share.
"""
