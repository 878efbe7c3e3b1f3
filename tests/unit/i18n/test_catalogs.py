"""The .pot template is in step with the sources and the English catalog translates all of it."""
import pathlib
import re
import shutil
import subprocess
import sys

from babel.messages.pofile import read_po

ROOT = pathlib.Path(__file__).resolve().parents[3]
LOCALE = ROOT / "portal" / "locale"
PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


def msgids(path):
    with open(path, "rb") as source:
        return {m.id: m.string for m in read_po(source) if m.id}


def fuzzy_msgids(path):
    with open(path, "rb") as source:
        return sorted(m.id for m in read_po(source) if m.id and m.fuzzy)


def test_pot_has_key_messages():
    ids = msgids(LOCALE / "portal.pot")
    for key in ("Operazione sconosciuta: «${name}».", "Il nome supera i ${max_length} caratteri.",
                "Paginazione non valida.", "Il file caricato è vuoto.",
                "L'allegato «${filename}» non è stato accettato: ${reason}",
                "Pagina non trovata", "Eliminare «${title}»?", "L'operazione non si può annullare.",
                "Contenuti", "Stato: ${state}", "Vai al contenuto", "Note legali",
                "Informativa privacy", "Portale dei servizi sociali", "«${title}» creato.",
                "Richiesta non valida"):
        assert key in ids


def test_placeholders_are_simple_names():
    for msgid in msgids(LOCALE / "portal.pot"):
        for name in PLACEHOLDER.findall(msgid):
            assert re.fullmatch(r"[a-z_][a-z0-9_]*", name), msgid


def test_english_catalog_matches_template():
    pot = msgids(LOCALE / "portal.pot")
    english = msgids(LOCALE / "en" / "LC_MESSAGES" / "portal.po")
    assert set(english) <= set(pot)
    translated = {k: v for k, v in english.items() if v}
    assert len(translated) >= 10
    for msgid, msgstr in translated.items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid


def test_english_catalog_translates_every_message():
    """Every msgid of the template has an English msgstr, none left fuzzy (make translations)."""
    pot = msgids(LOCALE / "portal.pot")
    po = LOCALE / "en" / "LC_MESSAGES" / "portal.po"
    english = msgids(po)
    untranslated = sorted(m for m in pot if not english.get(m))
    assert not untranslated, (f"{len(untranslated)} da tradurre in {po.name} "
                              f"(make translations, poi tradurre): {untranslated[:10]}")
    fuzzy = fuzzy_msgids(po)
    assert not fuzzy, f"{len(fuzzy)} traduzioni fuzzy da rivedere: {fuzzy[:10]}"


def test_compiled_catalog_is_fresh(compiled_catalogs):
    mo = LOCALE / "en" / "LC_MESSAGES" / "portal.mo"
    assert str(mo) in compiled_catalogs
    assert mo.stat().st_mtime >= (mo.with_suffix(".po")).stat().st_mtime


def test_pot_is_up_to_date(tmp_path):
    """Regenerate from the four packages (portal/locale/README.md): nothing may be missing.

    Domain errors raise msgids too (``content_types``, ``workflows``, ``catalog``), so they are
    extracted with the templates and views."""
    pot_create = shutil.which("pot-create", path=str(pathlib.Path(sys.executable).parent))
    assert pot_create, "lingva (pot-create) is a development dependency"
    output = tmp_path / "portal.pot"
    subprocess.run(
        [pot_create, "-q", "-d", "portal", "--no-linenumbers", "--keyword", "N_", "-o", str(output),
         "portal", "content_types", "workflows", "catalog"],
        cwd=ROOT, check=True,
    )
    fresh, stored = set(msgids(output)), set(msgids(LOCALE / "portal.pot"))
    missing, stale = fresh - stored, stored - fresh
    assert not missing, f"make translations (portal/locale/README.md): {sorted(missing)[:5]}"
    assert not stale, f"make translations: msgids no longer in the sources: {sorted(stale)[:5]}"
