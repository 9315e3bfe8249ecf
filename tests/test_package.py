"""The top-level package serves the names a measurement script needs."""

import importlib

import pytest

import communitykit as ck


class TestTopLevel:
    def test_every_name_in_all_resolves(self):
        """Each name in __all__ is importable from communitykit (lazy ones included)."""
        for name in ck.__all__:
            assert getattr(ck, name) is not None, name

    def test_lazy_names_come_from_their_home_modules(self):
        """A lazily served name is the very object its subpackage defines."""
        for name, module in ck._LAZY.items():
            assert getattr(importlib.import_module(module), name) is getattr(ck, name)

    def test_unknown_attribute_is_an_attribute_error(self):
        """Asking for a name that does not exist fails like any module attribute."""
        with pytest.raises(AttributeError, match="no_such_name"):
            ck.no_such_name  # noqa: B018

    def test_version_is_a_string(self):
        """__version__ comes from the installed metadata."""
        assert isinstance(ck.__version__, str)
        assert ck.__version__
