"""ISEE: CSV registry kept by the ATS, manual entry, protocol format warnings."""
from datetime import date
from decimal import Decimal

import pytest
import transaction
import ZODB
from ZODB.FileStorage import FileStorage

from portal.applications.rules.errors import IseeImportError, IseeNotFound, MissingAttachment
from portal.applications.rules.isee import IseeAttestation, IseeProvider, IseeRegistry, protocol_warnings

CSV = """codice_fiscale;protocollo_dsu;tipo_isee;valore_isee;data_dsu;omissioni_difformita
RSSLCU23S02A662V;INPS-ISEE-2025-01234567K-00;minorenni;12.450,00;10/02/2025;no
RSSLCU23S02A662V;INPS-ISEE-2024-01234567K-00;minorenni;11.000,00;05/03/2024;no
SPSGPP46L21L049R;ISEE-123;socio_sanitario;8000.50;2025-01-20;si
"""


def test_protocol_format_is_a_warning_not_a_refusal():
    assert protocol_warnings("INPS-ISEE-2020-00000032P-00") == ()
    assert protocol_warnings("INPS-ISEE-2015-01480722D-00") == ()
    (warning,) = protocol_warnings("ISEE-123")
    assert "non ha il formato atteso" in warning
    assert len(protocol_warnings("X" * 31)) == 2


def test_csv_registry_lookup_picks_the_valid_attestation():
    registry = IseeRegistry()
    report = registry.load_csv(CSV)
    assert report.loaded == 3
    assert list(report.warnings) == ["riga 4"]
    assert isinstance(registry, IseeProvider)
    assert len(registry) == 3
    found = registry.lookup("rsslcu23s02a662v", date(2025, 7, 1))
    assert (found.value, found.dsu_date, found.isee_type) == (
        Decimal("12450.00"), date(2025, 2, 10), "minorenni")
    assert found.describe().startswith("ISEE minorenni € 12.450,00 (DSU INPS-ISEE-2025")
    # on 1 Jan 2025 only the 2024 DSU existed and it had expired on 31 Dec 2024
    with pytest.raises(IseeNotFound) as excinfo:
        registry.lookup("RSSLCU23S02A662V", date(2025, 1, 1))
    assert "è scaduta il 31/12/2024" in str(excinfo.value.message)
    elder = registry.lookup("SPSGPP46L21L049R", date(2025, 7, 1))
    assert elder.discrepancies
    assert elder.warnings
    assert IseeAttestation.from_data(elder.to_data()) == elder


def test_lookup_failures_explain_themselves():
    registry = IseeRegistry()
    registry.load_csv(CSV)
    with pytest.raises(IseeNotFound) as excinfo:
        registry.lookup("CNTMRC85P09E506E", date(2025, 7, 1))
    assert "Nessuna attestazione ISEE" in str(excinfo.value.message)
    with pytest.raises(IseeNotFound) as excinfo:
        registry.lookup("SPSGPP46L21L049R", date(2025, 7, 1), isee_types=("ordinario",))
    assert "risultano solo attestazioni di tipo ISEE socio-sanitario" in str(excinfo.value.message)
    with pytest.raises(IseeNotFound) as excinfo:
        registry.lookup("NOTACODE", date(2025, 7, 1))
    assert "non è valido" in str(excinfo.value.message)


def test_a_bad_csv_loads_nothing_and_names_every_bad_row():
    registry = IseeRegistry()
    bad = CSV + ("RSSLCU23S02A662X;INPS-ISEE-2025-01234567K-00;minorenni;1;10/02/2025;\n"
                 "CNTMRC85P09E506E;INPS-ISEE-2025-01234567K-00;magico;1;10/02/2025;\n"
                 "CNTMRC85P09E506E;INPS-ISEE-2025-01234567K-00;ordinario;-5;10/02/2025;\n"
                 "CNTMRC85P09E506E;INPS-ISEE-2025-01234567K-00;ordinario;abc;10/02/2025;\n"
                 "CNTMRC85P09E506E;INPS-ISEE-2025-01234567K-00;ordinario;1;31/02/2025;\n")
    with pytest.raises(IseeImportError) as excinfo:
        registry.load_csv(bad)
    assert sorted(excinfo.value.fields) == ["riga 5", "riga 6", "riga 7", "riga 8", "riga 9"]
    assert "carattere di controllo" in excinfo.value.fields["riga 5"]
    assert "Tipo di ISEE sconosciuto" in excinfo.value.fields["riga 6"]
    assert len(registry) == 0
    with pytest.raises(IseeImportError) as excinfo:
        registry.load_csv("cf;valore\nX;1\n")
    assert "colonne obbligatorie" in str(excinfo.value.message)


def test_manual_entry_needs_the_attestation_and_a_check():
    registry = IseeRegistry()
    with pytest.raises(MissingAttachment):
        registry.add_manual("CNTMRC85P09E506E", "INPS-ISEE-2025-00000032P-00", "ordinario",
                            "9000", date(2025, 3, 1), entered_by="rup-ba01", attachment_uid="")
    entry = registry.add_manual("CNTMRC85P09E506E", "inps-isee-2025-00000032p-00", "ordinario",
                                "9000", date(2025, 3, 1), entered_by="rup-ba01",
                                attachment_uid="doc-1")
    assert entry.source == "manual"
    assert entry.needs_check
    assert entry.warnings == ()
    assert entry.protocol == "INPS-ISEE-2025-00000032P-00"
    registry.mark_checked("CNTMRC85P09E506E", entry.protocol)
    assert not registry.lookup("CNTMRC85P09E506E", date(2025, 7, 1)).needs_check


def test_registry_persists_in_a_filestorage(tmp_path):
    db = ZODB.DB(FileStorage(str(tmp_path / "Data.fs")))
    try:
        with db.transaction() as conn:
            conn.root()["isee"] = IseeRegistry()
            conn.root()["isee"].load_csv(CSV)
        with db.transaction() as conn:
            assert conn.root()["isee"].lookup("RSSLCU23S02A662V", date(2025, 7, 1)).value == \
                Decimal("12450.00")
    finally:
        db.close()
    transaction.abort()
