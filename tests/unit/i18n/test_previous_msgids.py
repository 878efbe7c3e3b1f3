"""A fuzzy entry's previous msgid survives a round trip; stale ones do not pile up in the catalogs."""
import pathlib

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from portal.locale import update
from portal.locale.update import LOCALE_DIR

OLD = ("Il file contiene righe non valide: nessuna attestazione è stata caricata. Correggere le "
       "righe indicate e caricarlo di nuovo, controllando «le virgolette».")
NEW = OLD.replace("Il file contiene", "Il file ha")


def write(path, catalog):
    with open(path, "wb") as target:
        write_po(target, catalog, width=100, sort_output=True, include_previous=True)


def test_a_fuzzy_entry_keeps_its_previous_msgid(tmp_path):
    catalog = Catalog(locale="en")
    catalog.add(NEW, "The file has invalid rows.", flags=("fuzzy",), previous_id=OLD)
    write(tmp_path / "portal.po", catalog)
    read = update.read(tmp_path / "portal.po")
    assert read[NEW].previous_id == [OLD]
    assert read[NEW].user_comments == []


def test_a_translated_entry_drops_a_stale_previous_msgid(tmp_path):
    (tmp_path / "portal.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '# a note for translators\n# | msgid "Inviata"\n#| msgid "Abbinata"\n'
        'msgid "Abitanti"\nmsgstr "Inhabitants"\n', encoding="utf-8")
    message = update.read(tmp_path / "portal.po")["Abitanti"]
    assert message.user_comments == ["a note for translators"]
    assert message.previous_id == []


def test_merging_twice_writes_the_previous_msgid_once(tmp_path):
    po = tmp_path / "portal.po"
    old = Catalog(locale="en")
    old.add(OLD, "The file contains invalid rows.")
    write(po, old)
    template = Catalog()
    template.add(NEW)
    update.merge(po, template)
    update.merge(po, template)
    text = po.read_text(encoding="utf-8")
    assert text.count("#| msgid") == 1
    assert "# |" not in text
    merged = update.read(po)[NEW]
    assert merged.fuzzy
    assert merged.previous_id == [OLD]


def test_the_catalogs_carry_no_stale_previous_msgids():
    for po in pathlib.Path(LOCALE_DIR).glob("*/LC_MESSAGES/portal.po"):
        text = po.read_text(encoding="utf-8")
        assert "\n# | msgid" not in text, po
