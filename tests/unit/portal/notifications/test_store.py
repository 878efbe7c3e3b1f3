"""The inbox over a real ZODB: the unread counter against the messages, over random actions."""
from datetime import UTC, datetime, timedelta

import transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from ZODB import DB
from ZODB.MappingStorage import MappingStorage

from portal.notifications.store import get_store

T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)
ACTIONS = st.lists(st.one_of(
    st.tuples(st.just("notify"), st.integers(0, 6)),  # key: repeats must not add
    st.tuples(st.just("read"), st.integers(0, 9)),  # the n-th message (or none)
    st.tuples(st.just("all"), st.just(0)),
    st.tuples(st.just("unknown"), st.just(0)),
), max_size=30)


@settings(max_examples=60, deadline=None)
@given(ACTIONS)
def test_unread_count_equals_the_unread_messages_and_never_goes_negative(actions):
    db = DB(MappingStorage())
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        keys = set()
        for step, (action, value) in enumerate(actions):
            with tm:
                inbox = get_store(conn, create=True).inbox("cittadino", create=True)
                now = T0 + timedelta(seconds=step)
                if action == "notify":
                    added = inbox.add(f"k{value}", "integrazione", {"msgid": "t", "mapping": {}},
                                      {"msgid": "b", "mapping": {}}, now)
                    assert (added is None) == (f"k{value}" in keys)
                    keys.add(f"k{value}")
                elif action == "read":
                    notes = inbox.newest()
                    if value < len(notes):
                        was = notes[value].read
                        assert inbox.mark_read(notes[value].id, now) is (not was)
                elif action == "all":
                    inbox.mark_all_read(now)
                else:
                    assert inbox.mark_read("nessuno", now) is False
            with tm:  # what a later request reads back
                inbox = get_store(conn).inbox("cittadino")
                unread = sum(1 for note in inbox.messages.values() if not note.read)
                assert inbox.unread_count() == unread >= 0
                assert len(inbox) == len(keys)
                created = [n.created for n in inbox.newest()]
                assert created == sorted(created, reverse=True)
    finally:
        conn.close()
        db.close()


def test_no_store_before_the_first_message():
    db = DB(MappingStorage())
    conn = db.open()
    try:
        assert get_store(conn) is None
    finally:
        conn.close()
        db.close()
