"""The inboxes: one per user, each its own persistent object with its own trees and counter.

Beside the content tree under the database root's ``notifications`` key (created on the
first message). Two requests writing to different users touch different inboxes; two
writing to one user insert distinct keys (merged by BTrees' conflict resolution) and
change a ``Length`` (merged too). Marking read writes the message and the counter only,
so the unread count is read in O(1) and never needs a scan.
"""
import uuid

from BTrees.Length import Length
from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent

NOTIFICATIONS_KEY = "notifications"


class Notification(Persistent):
    """One message to one user: stored texts are messages as data (``rules.freeze``)."""

    read_at = None
    details = ""
    target_view = ""
    target_permission = "view"

    def __init__(self, note_id, key, kind, title, body, created, target_path="", target_uid="",
                 details="", target_view="", target_permission="view"):
        self.id, self.key, self.kind = note_id, key, kind
        self.title, self.body, self.created = title, body, created
        self.target_path, self.target_uid = target_path, target_uid
        self.details, self.target_view = details, target_view
        self.target_permission = target_permission

    @property
    def read(self):
        return self.read_at is not None


class Inbox(Persistent):
    """One user's messages: by id, newest first (``order``), by idempotency key; unread count."""

    def __init__(self):
        self.messages = OOBTree()  # id -> Notification
        self.order = LOBTree()  # minus microseconds (bumped on a tie) -> id
        self.by_key = OOBTree()  # key -> id
        self.unread = Length()

    def has_key(self, key):
        return key in self.by_key

    def add(self, key, kind, title, body, created, **values):
        """A new unread message, or None if ``key`` was already delivered."""
        if key in self.by_key:
            return None
        note = Notification(uuid.uuid4().hex, key, kind, title, body, created, **values)
        position = -int(created.timestamp() * 1_000_000) * 1024
        while position in self.order:
            position += 1
        self.messages[note.id] = note
        self.order[position] = note.id
        self.by_key[key] = note.id
        self.unread.change(1)
        return note

    def get(self, note_id):
        return self.messages.get(note_id) if isinstance(note_id, str) else None

    def newest(self, start=0, limit=None):
        """Messages newest first, from ``start``."""
        found = []
        for index, note_id in enumerate(self.order.values()):
            if index < start:
                continue
            if limit is not None and len(found) >= limit:
                break
            found.append(self.messages[note_id])
        return found

    def mark_read(self, note_id, now):
        """Mark one message read; True if it was unread (the counter goes down by one)."""
        note = self.get(note_id)
        if note is None or note.read:
            return False
        note.read_at = now
        self.unread.change(-1)
        return True

    def mark_all_read(self, now):
        """Mark every unread message read; how many were."""
        done = 0
        for note in self.messages.values():
            if not note.read:
                note.read_at = now
                done += 1
        if done:
            self.unread.change(-done)
        return done

    def unread_count(self):
        return self.unread()

    def __len__(self):
        return len(self.messages)


class NotificationStore(Persistent):
    """Every user's inbox, by login."""

    def __init__(self):
        self.inboxes = OOBTree()

    def inbox(self, login, create=False):
        found = self.inboxes.get(login)
        if found is None and create:
            found = self.inboxes[login] = Inbox()
        return found


def get_store(conn, create=False):
    """The store in ``conn``'s database (None before the first message unless ``create``)."""
    root = conn.root()
    store = root.get(NOTIFICATIONS_KEY)
    if store is None and create:
        store = NotificationStore()
        conn.add(store)
        root[NOTIFICATIONS_KEY] = store
    return store
