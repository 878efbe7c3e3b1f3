"""List a catalog's untranslated and fuzzy entries as JSON, and write reviewed translations back.

    python portal/locale/pending.py list [en] > todo.json    # [{"msgid", "msgstr", "previous"}]
    python portal/locale/pending.py apply todo.json [en]      # {"msgid": "translation", ...}

``apply`` sets each msgstr, drops the fuzzy flag and the previous msgid; run
``portal/locale/update.py`` afterwards to compile (``--check`` confirms nothing is left).
"""
import json
import os
import sys

from babel.messages.pofile import write_po

from portal.locale.update import read as read_catalog

LOCALE_DIR = os.path.dirname(os.path.abspath(__file__))


def po_path(lang):
    return os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", "portal.po")


def read(lang):
    return read_catalog(po_path(lang))


def pending(lang="en"):
    """The entries still to translate or review, with the old text a fuzzy one had."""
    return [{"msgid": m.id, "msgstr": m.string if m.fuzzy else "",
             "previous": " ".join(m.previous_id) if m.previous_id else ""}
            for m in read(lang) if m.id and (m.fuzzy or not m.string)]


def apply(translations, lang="en"):
    """Write ``translations`` (msgid -> msgstr) into the catalog; returns how many were set."""
    catalog = read(lang)
    done = 0
    for msgid, msgstr in translations.items():
        message = catalog.get(msgid)
        if message is None or not msgstr:
            continue
        message.string = msgstr
        message.flags.discard("fuzzy")
        message.previous_id = []
        done += 1
    tmp = po_path(lang) + ".tmp"
    with open(tmp, "wb") as target:
        write_po(target, catalog, width=100, sort_output=True, include_previous=True)
    os.replace(tmp, po_path(lang))
    return done


def main(argv):
    if len(argv) >= 1 and argv[0] == "list":
        json.dump(pending(*argv[1:2]), sys.stdout, ensure_ascii=False, indent=1)
        return 0
    if len(argv) >= 2 and argv[0] == "apply":
        with open(argv[1], encoding="utf-8") as source:
            print(apply(json.load(source), *argv[2:3]), "traduzioni scritte")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
