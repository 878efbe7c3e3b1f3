"""portal-proposals: the same evaluation as the job, from the command line."""
import pytest

from portal.scripts import proposals as script
from tests.conftest import make_settings


def write_ini(directory):
    settings = make_settings(directory)
    lines = ["[app:main]", "use = egg:portale-sociale"] + [f"{k} = {v}" for k, v in settings.items()]
    path = directory / "test.ini"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return str(path)


def test_the_command_evaluates_one_district_and_recounts_the_map(app_dir, capsys):
    assert script.main([write_ini(app_dir), "--ambito", "ba-01", "--mappa"]) == 0
    out = capsys.readouterr().out
    assert "BA-01:" in out
    assert "nuclei valutati" in out
    assert "ricalcolati" in out


def test_an_unknown_district_is_refused(app_dir):
    with pytest.raises(SystemExit) as stopped:
        script.main([write_ini(app_dir), "--ambito", "XX-99"])
    assert "Ambito sconosciuto: XX-99" in str(stopped.value)
