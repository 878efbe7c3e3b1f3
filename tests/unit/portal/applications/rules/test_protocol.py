"""Protocol numbers: progressive, ≥ 7 digits, unique and gap-free under 8 concurrent writers."""
import threading

import pytest
import transaction
import ZODB
from ZODB.FileStorage import FileStorage
from ZODB.POSException import ConflictError

from portal.applications.rules.protocol import ProtocolCounters, format_protocol, parse_protocol

WRITERS = 8
EACH = 25


def test_format_and_parse():
    assert format_protocol(2025, 12345) == "2025/0012345"
    assert format_protocol(2025, 123456789) == "2025/123456789"
    assert parse_protocol("2025/0012345") == (2025, 12345)
    with pytest.raises(ValueError, match="not a protocol number"):
        parse_protocol("2025/12")


def test_progressive_per_year():
    counters = ProtocolCounters()
    assert [counters.take(2025) for _ in range(3)] == [
        "2025/0000001", "2025/0000002", "2025/0000003"]
    assert counters.take(2026) == "2026/0000001"
    assert counters.last(2025) == 3
    assert counters.last(2024) == 0
    assert counters.years() == [2025, 2026]


def test_aborted_transactions_give_their_number_back(tmp_path):
    db = ZODB.DB(FileStorage(str(tmp_path / "Data.fs")))
    try:
        with db.transaction() as conn:
            conn.root()["counters"] = ProtocolCounters()
        tm = transaction.TransactionManager()
        conn = db.open(transaction_manager=tm)
        tm.begin()
        assert conn.root()["counters"].take(2025) == "2025/0000001"
        tm.abort()
        tm.begin()
        assert conn.root()["counters"].take(2025) == "2025/0000001"
        tm.commit()
        conn.close()
    finally:
        db.close()


@pytest.mark.parametrize("new_year", [False, True])
def test_eight_concurrent_submitters_never_duplicate_or_skip(tmp_path, new_year):
    db = ZODB.DB(FileStorage(str(tmp_path / "Data.fs")))
    with db.transaction() as conn:
        counters = conn.root()["counters"] = ProtocolCounters()
        if not new_year:
            counters.take(2025)  # the year's counter exists; else all race to create it
    taken, conflicts, errors = [], [], []
    lock = threading.Lock()
    start = threading.Barrier(WRITERS, timeout=30)

    def writer():
        tm = transaction.TransactionManager(explicit=True)
        conn = db.open(transaction_manager=tm)
        try:
            start.wait()
            for _ in range(EACH):
                for _attempt in range(1000):  # like pyramid_retry, replaying the request
                    tm.begin()
                    try:
                        number = conn.root()["counters"].take(2025)
                        tm.commit()
                    except ConflictError:
                        tm.abort()
                        with lock:
                            conflicts.append(1)
                        continue
                    with lock:
                        taken.append(number)
                    break
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    try:
        assert not errors
        assert not any(t.is_alive() for t in threads)
        first = 1 if new_year else 2
        total = WRITERS * EACH
        expected = [format_protocol(2025, n) for n in range(first, first + total)]
        assert sorted(taken) == expected  # unique and gap-free
        assert len(set(taken)) == total
        with db.transaction() as conn:
            assert conn.root()["counters"].last(2025) == first + total - 1
        assert conflicts, "8 writers should have conflicted at least once"
    finally:
        db.close()
