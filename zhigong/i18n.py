"""Compile the translation catalogues: every .po under zhigong/locale and zhigong/<app>/locale.

`python -m zhigong.i18n` (run by `make install`). Pure Python through Babel, so a fresh machine
needs no GNU gettext; .mo files are build products and are not committed."""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def compile_catalogue(po_path: Path) -> Path:
    """Write the .mo beside the .po. Fuzzy and untranslated entries are left out (the page
    then shows the Chinese source), exactly as GNU msgfmt does."""
    with po_path.open("rb") as source:
        catalogue = read_po(source, abort_invalid=True)
    mo_path = po_path.with_suffix(".mo")
    temporary = mo_path.with_suffix(".mo.tmp")
    with temporary.open("wb") as target:
        write_mo(target, catalogue, use_fuzzy=False)
    temporary.replace(mo_path)  # readers never see a half-written catalogue
    return mo_path


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The project catalogue and every app's own (zhigong/<app>/locale/), which Django finds
    by itself for installed apps."""
    package = locale_dir.parent
    catalogues = set(locale_dir.glob("*/LC_MESSAGES/*.po")) | set(package.glob("*/locale/*/LC_MESSAGES/*.po"))
    return [compile_catalogue(po) for po in sorted(catalogues)]


def main() -> int:
    compiled = compile_all()
    for mo_path in compiled:
        print(f"compiled {mo_path.relative_to(LOCALE_DIR.parent.parent)}")
    if not compiled:
        print(f"no .po files under {LOCALE_DIR}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
