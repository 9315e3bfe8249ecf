"""The top-level package serves the names a measurement script needs."""

import importlib
import subprocess
import sys

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

    @pytest.mark.slow
    def test_subpackages_are_attributes(self):
        """``import communitykit as ck; ck.okr`` works after a bare import, in a fresh process."""
        code = (
            "import communitykit as ck; "
            "print(ck.okr.OKRSet.__name__, ck.datasets.demo.__name__, ck.network.summary.__name__)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out.split() == ["OKRSet", "demo", "summary"]

    def test_dir_lists_only_public_names(self):
        """dir(ck) holds the public names and subpackages, no helpers or imported modules."""
        names = dir(ck)
        assert all(not n.startswith("_") or n == "__version__" for n in names)
        assert {"okr", "kpi", "compute", "EventLog"} <= set(names)
        assert not {"importlib", "Any", "TYPE_CHECKING", "annotations"} & set(names)
        for name in names:
            assert getattr(ck, name) is not None, name
