"""The label catalogue (``templates/labels.toml``): every fixed word a report prints."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

from communitykit.errors import ConfigError
from communitykit.tasks import LANGUAGES

__all__ = ["LANGUAGES", "label", "labels"]


@functools.cache
def _catalogue() -> Mapping[str, Mapping[str, str]]:
    """Load ``templates/labels.toml`` (package data) once."""
    text = (
        resources.files("communitykit.report")
        .joinpath("templates/labels.toml")
        .read_text(encoding="utf-8")
    )
    raw = tomllib.loads(text)
    return MappingProxyType(
        {lang: MappingProxyType({str(k): str(v) for k, v in raw[lang].items()}) for lang in raw}
    )


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
        return _catalogue()[lang]
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
    text = labels(lang).get(key) or _catalogue()["en"].get(key) or key
    return text.format(**values) if values else text
