"""Settings: defaults, validation, secrets from file or environment."""
import pytest

from portal.documents.devcert import create_dev_signer
from portal.documents.errors import ConfigurationProblem
from portal.documents.settings import DEFAULTS, DocumentSettings, read_secret


def test_defaults():
    s = DocumentSettings.from_settings({"other.key": "x"})
    assert s.max_upload_bytes == 20 * 1024 * 1024
    assert s.signer == "pkcs12"
    assert s.tsa_url == ""
    assert s.trust_roots == (DEFAULTS["trust_roots"],)


def test_parsing():
    s = DocumentSettings.from_settings({
        "documents.max_upload_bytes": "1000", "documents.trust_roots": "a.pem\n b.pem",
        "documents.embed_revocation_info": "true",
        "documents.office_address": "Via Roma 1\n70100 Bari"})
    assert s.max_upload_bytes == 1000
    assert s.trust_roots == ("a.pem", "b.pem")
    assert s.embed_revocation_info is True
    assert s.office_address == ("Via Roma 1", "70100 Bari")


@pytest.mark.parametrize("settings", [
    {"documents.unknown": "1"}, {"documents.signer": "floppy"},
    {"documents.revocation_mode": "maybe"}])
def test_bad_settings_fail_loudly(settings):
    with pytest.raises(ConfigurationProblem):
        DocumentSettings.from_settings(settings)


def test_read_secret(tmp_path, monkeypatch):
    path = tmp_path / "secret"
    path.write_text("s3cret\nignored\n")
    assert read_secret("NOPE_ENV", str(path), "x") == "s3cret"
    monkeypatch.setenv("SOME_ENV", "fromenv")
    assert read_secret("SOME_ENV", "", "x") == "fromenv"
    assert read_secret("MISSING_ENV_X", "", "x") is None
    with pytest.raises(ConfigurationProblem):
        read_secret("", str(tmp_path / "missing"), "x")


def test_dev_signer_accepts_long_office_names_with_accents(tmp_path):
    _p12, _password, _pem = create_dev_signer(
        str(tmp_path / "s.p12"), str(tmp_path / "s.pass"),
        office_name="Regione Puglia — Portale dei servizi sociali — Ufficio di Piano ATS",
    )
    assert (tmp_path / "s.p12").exists()
