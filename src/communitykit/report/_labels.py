"""The label catalogue: every fixed word a report prints, in English and German."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from communitykit.errors import ConfigError

__all__ = ["LANGUAGES", "label", "labels"]

LANGUAGES = ("en", "de")
"""Languages the report labels exist in."""

_EN: dict[str, str] = {
    "report_title": "Community measurement report",
    "generated": "Generated",
    "as_of": "As of",
    "period": "Period",
    "contents": "Contents",
    "library": "communitykit",
    # sections
    "summary": "Summary for sponsors",
    "purpose": "Purpose",
    "headline_kpis": "Headline KPIs",
    "okr_scores": "OKR scores",
    "trend": "Trend since the last report",
    "attention": "Three things that need attention",
    "communities": "Communities",
    "community": "Community",
    "lifecycle": "Lifecycle stage",
    "evidence": "Evidence",
    "kpis": "KPIs",
    "next_tasks": "Recommended next tasks",
    "dual_os": "Dual operating system",
    "silo_bridging": "Silo bridging per org unit",
    "top_brokers": "Top brokers",
    "okrs": "OKRs",
    "scorecard": "Balanced scorecard",
    "strategy_map": "Strategy map",
    "wissensbilanz": "Wissensbilanz (intellectual capital statement)",
    "survey": "Survey results",
    "benefits": "Business benefit",
    "data": "Data and method",
    "sources": "Sources",
    "count_audit": "Count audit",
    "rejects": "Rejected rows",
    "suppressed_values": "Suppressed values",
    "parameters": "Parameters and versions",
    # table headings and words
    "kpi": "KPI",
    "value": "Value",
    "target": "Target",
    "status": "Status",
    "trend_col": "Trend",
    "change": "Change",
    "previous": "Previous",
    "current": "Current",
    "n_people": "People (n)",
    "stage": "Stage",
    "phase": "Phase",
    "confidence": "Confidence",
    "rule": "Rule",
    "reading": "Reading",
    "threshold": "Threshold",
    "task": "Task",
    "reason": "Reason",
    "package": "Package",
    "org_unit": "Org unit",
    "size": "Size",
    "ei_index": "E-I index",
    "cross_unit_share": "Cross-unit ties",
    "person": "Person",
    "objective": "Objective",
    "key_result": "Key result",
    "score": "Score",
    "pace": "Pace",
    "perspective": "Perspective",
    "factor": "Factor",
    "assessment": "Assessment",
    "influence": "Influence",
    "quadrant": "Quadrant",
    "item": "Item",
    "mean": "Mean",
    "top2": "Top-2-box",
    "use_case": "Use case",
    "estimate": "Estimate",
    "low": "Low (P10)",
    "high": "High (P90)",
    "median": "Median",
    "source": "Source",
    "rows_read": "Rows read",
    "events": "Events",
    "rejected": "Rejected",
    "skipped": "Skipped",
    "actors": "People",
    "row": "Row",
    "field": "Field",
    "parameter": "Parameter",
    "setting": "Setting",
    "group": "Group",
    "count": "Count",
    "why": "Why",
    "suppressed": "suppressed",
    "not_available": "Not available",
    "no_target": "no target",
    "no_status": "no status",
    "green": "on track",
    "yellow": "at risk",
    "red": "off track",
    "grey": "no status",
    "first_report": "This is the first stored report: the trend starts with the next run.",
    "no_store": (
        "No measurement store was given (--store), so there is no earlier report to compare with."
    ),
    "nothing_attention": "Nothing needs special attention right now.",
    "person_level_off": (
        "Person-level output is off (the privacy default): brokers are not named. "
        "Turn it on only where the works council has agreed."
    ),
    "suppressed_why": (
        "A value that rests on fewer than {n} distinct people is not shown, "
        "so that no individual can be singled out."
    ),
    "none": "none",
    "yes": "yes",
    "no": "no",
    "page_footer": (
        "Made with communitykit {version}. Every number traces back to the data section."
    ),
}

_DE: dict[str, str] = {
    "report_title": "Bericht zur Community-Messung",
    "generated": "Erstellt",
    "as_of": "Stand",
    "period": "Zeitraum",
    "contents": "Inhalt",
    "library": "communitykit",
    "summary": "Zusammenfassung für Sponsoren",
    "purpose": "Zweck",
    "headline_kpis": "Wichtigste Kennzahlen",
    "okr_scores": "OKR-Bewertungen",
    "trend": "Entwicklung seit dem letzten Bericht",
    "attention": "Drei Punkte, die Aufmerksamkeit brauchen",
    "communities": "Communities",
    "community": "Community",
    "lifecycle": "Lebenszyklus-Phase",
    "evidence": "Belege",
    "kpis": "Kennzahlen",
    "next_tasks": "Empfohlene nächste Aufgaben",
    "dual_os": "Duales Betriebssystem",
    "silo_bridging": "Silo-Überbrückung je Organisationseinheit",
    "top_brokers": "Wichtigste Brückenbauer",
    "okrs": "OKRs",
    "scorecard": "Balanced Scorecard",
    "strategy_map": "Strategiekarte",
    "wissensbilanz": "Wissensbilanz",
    "survey": "Umfrageergebnisse",
    "benefits": "Geschäftsnutzen",
    "data": "Daten und Methode",
    "sources": "Quellen",
    "count_audit": "Zählprüfung",
    "rejects": "Abgewiesene Zeilen",
    "suppressed_values": "Unterdrückte Werte",
    "parameters": "Parameter und Versionen",
    "kpi": "Kennzahl",
    "value": "Wert",
    "target": "Ziel",
    "status": "Status",
    "trend_col": "Verlauf",
    "change": "Veränderung",
    "previous": "Vorher",
    "current": "Aktuell",
    "n_people": "Personen (n)",
    "stage": "Phase",
    "phase": "Abschnitt",
    "confidence": "Sicherheit",
    "rule": "Regel",
    "reading": "Messwert",
    "threshold": "Schwelle",
    "task": "Aufgabe",
    "reason": "Grund",
    "package": "Aufgabenpaket",
    "org_unit": "Organisationseinheit",
    "size": "Größe",
    "ei_index": "E-I-Index",
    "cross_unit_share": "Einheitsübergreifende Verbindungen",
    "person": "Person",
    "objective": "Objective",
    "key_result": "Key Result",
    "score": "Bewertung",
    "pace": "Tempo",
    "perspective": "Perspektive",
    "factor": "Einflussfaktor",
    "assessment": "Bewertung",
    "influence": "Einfluss",
    "quadrant": "Quadrant",
    "item": "Frage",
    "mean": "Mittelwert",
    "top2": "Top-2-Box",
    "use_case": "Anwendungsfall",
    "estimate": "Schätzung",
    "low": "Niedrig (P10)",
    "high": "Hoch (P90)",
    "median": "Median",
    "source": "Quelle",
    "rows_read": "Gelesene Zeilen",
    "events": "Ereignisse",
    "rejected": "Abgewiesen",
    "skipped": "Übersprungen",
    "actors": "Personen",
    "row": "Zeile",
    "field": "Feld",
    "parameter": "Parameter",
    "setting": "Einstellung",
    "group": "Gruppe",
    "count": "Anzahl",
    "why": "Warum",
    "suppressed": "unterdrückt",
    "not_available": "Nicht verfügbar",
    "no_target": "kein Ziel",
    "no_status": "kein Status",
    "green": "im Plan",
    "yellow": "gefährdet",
    "red": "nicht im Plan",
    "grey": "kein Status",
    "first_report": (
        "Dies ist der erste gespeicherte Bericht: die Entwicklung beginnt mit dem nächsten Lauf."
    ),
    "no_store": (
        "Es wurde kein Messarchiv angegeben (--store), daher gibt es keinen früheren Bericht "
        "zum Vergleich."
    ),
    "nothing_attention": "Derzeit braucht nichts besondere Aufmerksamkeit.",
    "person_level_off": (
        "Personenbezogene Ausgaben sind aus (Datenschutz-Voreinstellung): Brückenbauer werden "
        "nicht namentlich genannt. Nur einschalten, wo der Betriebsrat zugestimmt hat."
    ),
    "suppressed_why": (
        "Ein Wert, der auf weniger als {n} verschiedenen Personen beruht, wird nicht gezeigt, "
        "damit niemand einzeln erkennbar wird."
    ),
    "none": "keine",
    "yes": "ja",
    "no": "nein",
    "page_footer": (
        "Erstellt mit communitykit {version}. Jede Zahl lässt sich über den Datenabschnitt "
        "zurückverfolgen."
    ),
}

_CATALOGUE: dict[str, Mapping[str, str]] = {
    "en": MappingProxyType(_EN),
    "de": MappingProxyType(_DE),
}


def labels(lang: str = "en") -> Mapping[str, str]:
    """
    Return the label catalogue for *lang*.

    Parameters
    ----------
    lang
        ``"en"`` or ``"de"``.

    Raises
    ------
    ConfigError
        For a language the catalogue does not have.

    Examples
    --------
    >>> from communitykit.report import labels
    >>> labels("de")["communities"]
    'Communities'
    >>> labels("de")["next_tasks"]
    'Empfohlene nächste Aufgaben'

    .. versionadded:: 0.1
    """
    try:
        return _CATALOGUE[lang]
    except KeyError:
        msg = f"no report labels for language {lang!r}; available: {', '.join(LANGUAGES)}"
        raise ConfigError(msg) from None


def label(key: str, lang: str = "en", **values: object) -> str:
    """
    Return one label, formatted with *values*; an unknown key falls back to English, then the key.

    Examples
    --------
    >>> from communitykit.report import label
    >>> label("suppressed_why", "en", n=5).split(",")[0]
    'A value that rests on fewer than 5 distinct people is not shown'

    .. versionadded:: 0.1
    """
    text = labels(lang).get(key) or _EN.get(key) or key
    return text.format(**values) if values else text
