"""Regenerate portal.pot from the sources, merge it into every catalog, compile the .mo files.

Run from anywhere (``make translations``): ``.venv/bin/python portal/locale/update.py``.
Then translate what ``--check`` lists (new msgids arrive with an empty msgstr; a msgid
whose Italian changed a little arrives *fuzzy*, with the old translation to review) and
run it again. ``--check`` only reports: it exits 1 when a catalog has untranslated or
fuzzy entries, and changes nothing.
"""
import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

from babel.messages.pofile import read_po, unescape, write_po

from portal.locale.compile import compile_all, po_files

LOCALE_DIR = pathlib.Path(__file__).resolve().parent
ROOT = LOCALE_DIR.parents[1]
POT = LOCALE_DIR / "portal.pot"
#: the packages whose messages belong to the ``portal`` domain (content_types, workflows and
#: catalog raise msgids too)
SOURCES = ("portal", "content_types", "workflows", "catalog")


def pot_create():
    """The ``pot-create`` of lingva, beside this interpreter (a development dependency)."""
    found = shutil.which("pot-create", path=str(pathlib.Path(sys.executable).parent)) \
        or shutil.which("pot-create")
    if not found:
        raise SystemExit("pot-create non trovato: installare le dipendenze di sviluppo "
                         "(pip install -e '.[test]').")
    return found


def extract(output):
    """Write the template of every marked message to ``output`` (same command as the README)."""
    # ``N_`` marks the workflows' titles, which stay plain Italian text at run time
    subprocess.run([pot_create(), "-q", "-d", "portal", "--no-linenumbers", "--keyword", "N_",
                    "--package-name", "portal", "-s", "-o", str(output), *SOURCES],
                   cwd=ROOT, check=True)
    return output


def read(path):
    with open(path, "rb") as source:
        return restore_previous(read_po(source))


def restore_previous(catalog):
    """Babel reads a ``#| msgid`` line back as a user comment «| msgid»: make it the previous
    msgid again on a fuzzy entry, drop it elsewhere, so such comments do not pile up."""
    for message in catalog:
        previous = [c[1:].strip() for c in message.user_comments if c.startswith("|")]
        if not previous:
            continue
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        # Babel wraps the quoted strings like prose, at spaces: join the lines back with one
        text = "".join(unescape(f'"{part}"') for part in _QUOTED.findall(" ".join(previous)))
        message.previous_id = [text] if message.fuzzy and text else []
    return catalog


_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def merge(po_path, template):
    """Bring ``po_path`` in step with ``template``: new msgids empty, changed ones fuzzy."""
    catalog = read(po_path)
    # Babel's update forgets the previous msgid of an entry still fuzzy from an earlier merge
    previous = {m.id: m.previous_id for m in catalog if m.fuzzy and m.previous_id}
    catalog.update(template, update_header_comment=False)
    for message in catalog:
        if message.fuzzy and not message.previous_id and message.id in previous:
            message.previous_id = previous[message.id]
    catalog.obsolete.clear()  # msgids gone from the sources: nothing to keep translating
    tmp = str(po_path) + ".tmp"
    with open(tmp, "wb") as target:
        write_po(target, catalog, width=100, sort_output=True, include_previous=True)
    os.replace(tmp, po_path)


def missing(po_path):
    """(untranslated, fuzzy) msgids of a catalog."""
    catalog = read(po_path)
    entries = [m for m in catalog if m.id]
    untranslated = [m.id for m in entries if not m.string or
                    (isinstance(m.string, tuple) and not all(m.string))]
    fuzzy = [m.id for m in entries if m.fuzzy]
    return untranslated, fuzzy


def report(paths):
    problems = 0
    for path in paths:
        untranslated, fuzzy = missing(path)
        problems += len(untranslated) + len(fuzzy)
        rel = os.path.relpath(path, ROOT)
        print(f"{rel}: {len(untranslated)} da tradurre, {len(fuzzy)} da rivedere (fuzzy)")
        for msgid in untranslated[:20] + fuzzy[:20]:
            print(f"  {msgid if isinstance(msgid, str) else msgid[0]}")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="report untranslated and fuzzy entries; change nothing")
    args = parser.parse_args(argv)
    paths = po_files(str(LOCALE_DIR))
    if args.check:
        return 1 if report(paths) else 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = extract(pathlib.Path(tmp) / "portal.pot")
        shutil.copyfile(fresh, POT)
    template = read(POT)
    for path in paths:
        merge(path, template)
    for mo_path in compile_all(str(LOCALE_DIR)):
        print(os.path.relpath(mo_path, ROOT))
    report(paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
