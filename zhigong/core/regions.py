"""Loading the shipped GB/T 2260 region table (core/data/regions, see SOURCE.txt there)."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "regions"


def _rows(name: str):
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(line for line in fh if not line.startswith("#"))


def region_rows() -> list[tuple[str, str, str, str | None]]:
    """(code, name, level, parent code) for every province, city and county, parents first."""
    rows: list[tuple[str, str, str, str | None]] = []
    for r in _rows("provinces.csv"):
        rows.append((r["code"] + "0000", r["name"], "province", None))
    for r in _rows("cities.csv"):
        rows.append((r["code"] + "00", r["name"], "city", r["provinceCode"] + "0000"))
    cities = {code for code, *_ in rows}
    for r in _rows("areas.csv"):
        # Cities without counties (东莞 441900, 中山 442000, 儋州 460400) repeat the city row.
        if r["code"] not in cities:
            rows.append((r["code"], r["name"], "county", r["cityCode"] + "00"))
    return rows


# GB/T 2260 names by code, per process: the table is reference data, written only by the seeding
# migrations (read-only in the admin), and lists show a region name on every row; reading the
# names here instead of joining core_region saves the join (most of the list's statement's time
# on PostgreSQL, planning included). A code not yet seen (a region added since) reads the table
# again.
_names: dict[str, str] = {}


def region_names(codes) -> dict[str, str]:
    """{code: name} for these region codes (unknown codes are left out)."""
    wanted = set(codes)
    if not wanted <= _names.keys():
        from zhigong.core.models import Region

        _names.update(Region.objects.values_list("code", "name"))
    return {code: _names[code] for code in wanted if code in _names}


def forget_names() -> None:
    """Drop the per-process copy (tests, whose databases differ from one test to the next)."""
    _names.clear()
