"""Compile every portal/locale/<lang>/LC_MESSAGES/*.po to .mo (the .mo files are git-ignored).

Run before tests and before serving: ``.venv/bin/python portal/locale/compile.py``.
Fuzzy entries are left out, as gettext's msgfmt does.
"""
import glob
import os
import sys

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = os.path.dirname(os.path.abspath(__file__))


def po_files(locale_dir=LOCALE_DIR):
    return sorted(glob.glob(os.path.join(locale_dir, "*", "LC_MESSAGES", "*.po")))


def compile_po(po_path):
    """Write the .mo next to the .po; return its path."""
    with open(po_path, "rb") as source:
        catalog = read_po(source, abort_invalid=True)
    mo_path = po_path[:-3] + ".mo"
    tmp_path = mo_path + ".tmp"
    with open(tmp_path, "wb") as target:
        write_mo(target, catalog, use_fuzzy=False)
    os.replace(tmp_path, mo_path)  # atomic: a running app never reads half a file
    return mo_path


def compile_all(locale_dir=LOCALE_DIR):
    return [compile_po(path) for path in po_files(locale_dir)]


def main():
    for mo_path in compile_all():
        print(os.path.relpath(mo_path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
