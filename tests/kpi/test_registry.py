"""The KPI definition and the entry-point registry, with hand-built entry points."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from pathlib import Path
from types import SimpleNamespace

import pytest

from communitykit.errors import ConfigError, UnknownKPIError
from communitykit.kpi import KPI, _registry, available_kpis, get_kpi, refresh_kpis

GROUP = "communitykit.kpis"


def _ep(name, value, dist="acme-kpis"):
    ep = EntryPoint(name, value, GROUP)
    return ep._for(SimpleNamespace(name=dist))


@pytest.fixture(name="plugins")
def _plugins(monkeypatch):
    """Replace the installed entry points with the ones a test gives."""
    monkeypatch.syspath_prepend(str(Path(__file__).parent))

    def install(*points):
        monkeypatch.setattr(_registry, "entry_points", lambda group: list(points))
        refresh_kpis()

    yield install
    refresh_kpis()


class TestKPIDefinition:
    def test_ids_must_be_snake_case_or_namespaced(self):
        """Ids are snake_case, plugins may use one 'vendor.' namespace."""
        KPI("acme.net_promoter", "NPS", lambda f: f.count())

        with pytest.raises(ConfigError, match="invalid KPI id 'Bad-Id'"):
            KPI("Bad-Id", "Bad", lambda f: f.count())
        with pytest.raises(ConfigError, match=r"invalid KPI id 'a\.b\.c'"):
            KPI("a.b.c", "Bad", lambda f: f.count())

    def test_vocabulary_fields_are_checked(self):
        """Direction, category, dimension and grains must come from their vocabularies."""
        with pytest.raises(ConfigError, match="direction 'sideways'"):
            KPI("x", "X", lambda f: f.count(), direction="sideways")
        with pytest.raises(ConfigError, match="category 'fun'"):
            KPI("x", "X", lambda f: f.count(), category="fun")
        with pytest.raises(ConfigError, match="grains"):
            KPI("x", "X", lambda f: f.count(), grains=("team",))
        with pytest.raises(ConfigError, match="not callable"):
            KPI("x", "X", 3)

    def test_resolve_params_converts_and_rejects(self):
        """Parameters are converted to the default's type; unknown names are refused."""
        kpi = KPI("x", "X", lambda f, q=1: f.count(), params={"q": 1, "on": False, "w": (1.0,)})

        assert kpi.resolve_params({"q": "3", "on": "yes", "w": "1, 2"}) == {
            "q": 3,
            "on": True,
            "w": (1.0, 2.0),
        }
        with pytest.raises(ConfigError, match="has no parameter 'z'; its parameters: q, on, w"):
            kpi.resolve_params({"z": 1})
        with pytest.raises(ConfigError, match=r"cannot read parameter x.q='many' as int"):
            kpi.resolve_params({"q": "many"})

    def test_kpis_are_values(self):
        """Two definitions with equal fields are equal whatever their functions."""
        assert KPI("x", "X", lambda f: 1) == KPI("x", "X", lambda f: 2)


class TestRegistry:
    def test_builtins_come_through_the_entry_point(self):
        """The installed registry holds at least thirty built-ins from communitykit itself."""
        builtins = [k for k in available_kpis().values() if k.source == "communitykit:builtins"]

        assert len(builtins) >= 30

    def test_builtins_need_no_installed_entry_points(self, plugins):
        """A source checkout without metadata still knows every built-in, network and survey KPI."""
        from communitykit.kpi._builtins import builtin_kpis
        from communitykit.network import _kpis as network_kpis
        from communitykit.survey import _kpis as survey_kpis

        plugins()
        kpis = available_kpis()
        expected = {k.id for k in [*builtin_kpis(), *network_kpis.kpis(), *survey_kpis.kpis()]}

        assert expected <= set(kpis)
        assert len(kpis) == len(expected)
        assert kpis["network_density"].source == "communitykit:network"
        assert kpis["survey_mean"].source == "communitykit:survey"

    def test_stale_own_entry_points_are_not_duplicates(self, plugins, recwarn):
        """An older install's metadata naming the built-ins adds nothing and warns nothing."""
        plugins(
            _ep("builtins", "communitykit.kpi._builtins:builtin_kpis", "communitykit"),
            _ep("network", "communitykit.network._kpis:kpis", "communitykit"),
            _ep("events", "ck_fake_kpis:GOOD"),
        )
        kpis = available_kpis()

        assert not recwarn.list
        assert kpis["posts"].source == "communitykit:builtins"
        assert kpis["acme.events"].source == "acme-kpis:events"

    def test_plugin_cannot_shadow_a_builtin(self, plugins):
        """A plugin offering a built-in id warns and is skipped; the built-in stays."""
        plugins(_ep("shadow", "ck_fake_kpis:SHADOW"), _ep("events", "ck_fake_kpis:GOOD"))

        with pytest.warns(RuntimeWarning, match="'posts' from entry point 'shadow'"):
            kpis = available_kpis()

        assert kpis["posts"].source == "communitykit:builtins"
        assert kpis["posts"].name != "Not the built-in posts"
        assert "acme.events" in kpis

    def test_registry_is_read_only(self):
        """Users get a read-only mapping."""
        with pytest.raises(TypeError):
            available_kpis()["x"] = None  # type: ignore[index]

    def test_plugin_kpi_and_callable_are_registered(self, plugins):
        """An entry point may name a KPI object or a callable returning several."""
        plugins(_ep("events", "ck_fake_kpis:GOOD"), _ep("several", "ck_fake_kpis:several"))
        kpis = available_kpis()

        assert {"acme.events", "acme.a", "acme.b"} <= set(kpis)
        assert kpis["acme.events"].source == "acme-kpis:events"

    def test_broken_plugin_warns_and_is_skipped(self, plugins):
        """A plugin that fails to load warns naming entry point and distribution."""
        plugins(_ep("boom", "ck_fake_kpis:missing"), _ep("events", "ck_fake_kpis:GOOD"))

        with pytest.warns(RuntimeWarning, match="entry point 'boom'.*distribution 'acme-kpis'"):
            kpis = available_kpis()

        assert "acme.events" in kpis
        assert "active_members" in kpis

    @pytest.mark.parametrize("target", ["garbage", "mixed", "explode"])
    def test_garbage_plugin_warns_and_is_skipped(self, plugins, target):
        """A plugin returning something that is not KPIs, or raising, is skipped."""
        plugins(_ep("bad", f"ck_fake_kpis:{target}"))

        with pytest.warns(RuntimeWarning, match="'bad'.*failed to load"):
            kpis = available_kpis()

        assert "posts" in kpis

    def test_duplicate_is_refused_naming_both_sources(self, plugins):
        """A second KPI with the same id is refused; the warning names both sources."""
        plugins(_ep("first", "ck_fake_kpis:GOOD"), _ep("second", "ck_fake_kpis:CLASH", "zeta"))

        with pytest.warns(
            RuntimeWarning, match="zeta:second duplicates the one from acme-kpis:first"
        ):
            kpis = available_kpis()

        assert kpis["acme.events"].name == "Acme events"

    def test_plugin_ids_must_be_namespaced(self, plugins):
        """Plugins cannot take un-namespaced ids, which belong to communitykit."""
        plugins(_ep("plain", "ck_fake_kpis:UNNAMESPACED"))

        with pytest.warns(RuntimeWarning, match="not namespaced"):
            kpis = available_kpis()

        assert "events_again" not in kpis

    def test_unknown_id_lists_close_matches(self):
        """An unknown id raises UnknownKPIError with suggestions."""
        with pytest.raises(UnknownKPIError, match="did you mean 'active_members'"):
            get_kpi("active_member")

    def test_discovery_is_cached_until_refresh(self, plugins, monkeypatch):
        """The entry points are scanned once; refresh_kpis() scans again."""
        calls = []
        plugins()
        original = _registry.entry_points

        def counting(group):
            calls.append(group)
            return original(group)

        monkeypatch.setattr(_registry, "entry_points", counting)
        refresh_kpis()
        available_kpis()
        available_kpis()
        refresh_kpis()
        available_kpis()

        assert calls == [GROUP, GROUP]


class TestExamplePlugin:
    def test_example_plugin_kpis_compute(self, log):
        """The example plugin, when installed, registers two KPIs that compute."""
        pytest.importorskip("communitykit_example_plugin")
        from communitykit.kpi import compute

        frame = compute(
            log,
            ["example.weekend_share", "example.conversation_depth"],
            params={"example.conversation_depth.min_replies": 1},
            min_group_size=0,
        )

        # January 2024 in wol: no weekend events (Jan 1-4, 10, 11 are weekdays)
        assert frame.value("example.weekend_share", "wol", "2024-01-01") == 0.0
        # posts 0, 5, 7 have one reply each
        assert frame.value("example.conversation_depth", "wol", "2024-01-01") == 1.0
