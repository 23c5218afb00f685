from pathlib import Path

import pytest

from tocsin import settings
from tocsin.errors import ConfigError

DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented(setting: settings.Setting) -> None:
    text = DOC.read_text()
    assert f"`{setting.name}`" in text and f"`{setting.env}`" in text


def test_environment_overrides_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings.get("batch_size") == 64
    monkeypatch.setenv("TOCSIN_BATCH_SIZE", "8")
    assert settings.get("batch_size") == 8
    monkeypatch.setenv("TOCSIN_MERGE_KM", "2.5")
    assert settings.get("merge_km") == 2.5


def test_unknown_setting_names_the_valid_ones() -> None:
    with pytest.raises(ConfigError, match=r"\[T101\] unknown setting 'colour'.*database_url"):
        settings.get("colour")
