"""portal-shell: an administrator's prompt on the real database; only ``tm.commit()`` saves."""
import subprocess

import pytest

from tests.functional.test_storage import BIN, run, write_ini


def shell(ini, lines):
    """Run portal-shell with ``lines`` typed at its prompt; returns the finished process."""
    return subprocess.run([str(BIN / "portal-shell"), str(ini)], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def ini(tmp_path):
    ini = write_ini(tmp_path)
    assert run(BIN / "portal-init", ini, "--senza-demo").returncode == 0
    return ini


def test_a_committed_change_is_stored_and_an_uncommitted_one_is_not(ini):
    first = shell(ini, ["print('titolo:', root.title)", "root.title = 'Portale di prova'",
                        "tm.commit()"])
    assert first.returncode == 0, first.stderr
    assert "titolo: Portale dei servizi sociali" in first.stdout
    assert "tm.commit() per salvare" in first.stderr  # the banner says how to save

    second = shell(ini, ["print('titolo:', root.title)", "root.title = 'Mai salvato'"])
    assert second.returncode == 0, second.stderr
    assert "titolo: Portale di prova" in second.stdout

    third = shell(ini, ["print('titolo:', root.title, registry is request.registry)"])
    assert "titolo: Portale di prova True" in third.stdout
    assert "Traceback" not in first.stderr + second.stderr + third.stderr


def test_a_missing_configuration_file_is_a_message_not_a_traceback(tmp_path):
    result = shell(tmp_path / "nessuno.ini", [])
    assert result.returncode == 1
    assert "file di configurazione non trovato" in result.stderr
    assert "Traceback" not in result.stderr
