"""The Region's fund dashboard over 45 ATS ledgers (about 20,000 vouchers paid for 10 months).

Times GET /regione/@@fondi through the real app (target p95 ≤ 200 ms) and one regional
spending XLSX export; prints JSON. Run: PYTHONPATH=. python bench/fund_dashboard.py
"""
import json
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime

import webtest
from pyramid.scripting import prepare
from pyramid_zodbconn import get_connection

from content_types.district import District
from portal import main
from portal.demo import add_demo_data
from portal.documents.devcert import ensure_dev_signer
from portal.payments.ledger import ledger_of
from portal.payments.rules.funds import CODES
from tests.conftest import login, make_settings

ATS = 45
VOUCHERS_PER_ATS = 450
MONTHS = 10
REQUESTS = 60
WHEN = datetime(2026, 3, 1, tzinfo=UTC)


def fill(portal, registry):
    """45 ATS, four funded funds each, every voucher committed and paid month by month."""
    series = portal["regione"]["avvisi"]["buoni-minori-2026"].series
    ambiti = portal["ambiti"]
    for i in range(ATS - len(ambiti)):
        ambiti.add(f"xx-{i:02d}", District(title=f"Ambito {i}", code=f"XX-{i:02d}",
                                           lead_municipality="X", creator="admin"),
                   registry=registry)
    movements = 0
    for district in ambiti.values():
        ledger = ledger_of(district)
        for fund in CODES[:4]:
            ledger.set_budget(series, fund, "1000000.00", who="bench", when=WHEN)
        for number in range(VOUCHERS_PER_ATS):
            uid = f"{district.code}-{number}"
            ledger.commit(series, uid, uid, "3000.00", who="bench", when=WHEN)
            for month in range(MONTHS):
                ledger.pay(uid, "300.00", who="bench", when=WHEN, reference=f"LIQ-{month}")
        movements += len(ledger)
    return movements


def timed(client, path):
    start = time.perf_counter()
    client.get(path)
    return (time.perf_counter() - start) * 1000


def main_bench():
    directory = tempfile.mkdtemp()
    try:
        ensure_dev_signer(make_settings(directory))
        app = main({}, **make_settings(directory))
        env = prepare(registry=app.registry)
        with env["request"].tm:
            portal = get_connection(env["request"]).root()["portal"]
            add_demo_data(portal, app.registry)
            movements = fill(portal, app.registry)
        env["closer"]()
        client = login(webtest.TestApp(app), "regione")
        client.get("/regione/@@fondi")  # warm the caches
        times = sorted(timed(client, "/regione/@@fondi") for _ in range(REQUESTS))
        print(json.dumps({
            "ats": ATS, "vouchers": ATS * VOUCHERS_PER_ATS, "movements": movements,
            "requests": REQUESTS, "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(REQUESTS * 0.95) - 1], 1), "max_ms": round(times[-1], 1),
            "spending_xlsx_ms": round(timed(client, "/regione/@@fondi-spesa.xlsx"), 1),
        }))
        app.registry._zodb_databases[""].close()
    finally:
        shutil.rmtree(directory)


if __name__ == "__main__":
    main_bench()
