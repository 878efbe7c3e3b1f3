"""E-mail after commit, with a persistent outbox for retries.

``queue`` writes the message into the outbox *inside* the current transaction and
registers an after-commit hook: if the transaction aborts (or is replayed after a
ConflictError), nothing is sent; once it commits, the hook sends the message and
removes it from the outbox in a separate short transaction. A failure to send is
logged and never reaches the request: the message stays in the outbox and
``flush`` sends it later (a periodic job, ``portal-shell``, or the next hook).

Settings (``.ini``): ``mail.host`` (127.0.0.1), ``mail.port`` (25),
``mail.sender`` (noreply@localhost), ``mail.timeout`` seconds (10),
``mail.starttls`` (false), ``mail.username`` / ``mail.password`` (none).
"""
import logging
import secrets
import smtplib
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import transaction
from BTrees.LOBTree import LOBTree
from persistent import Persistent
from pyramid.settings import asbool

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailSettings:
    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "noreply@localhost"
    timeout: float = 10.0
    starttls: bool = False
    username: str = None
    password: str = None

    @classmethod
    def from_settings(cls, settings):
        return cls(
            host=settings.get("mail.host", cls.host),
            port=int(settings.get("mail.port", cls.port)),
            sender=settings.get("mail.sender", cls.sender),
            timeout=float(settings.get("mail.timeout", cls.timeout)),
            starttls=asbool(settings.get("mail.starttls", "false")),
            username=settings.get("mail.username") or None,
            password=settings.get("mail.password") or None,
        )


class Mailer:
    """Sends one message over SMTP (a new connection each time: few mails, no pooling)."""

    def __init__(self, settings):
        self.settings = settings

    def build(self, data):
        message = EmailMessage()
        message["From"] = self.settings.sender
        message["To"] = data["to"]
        message["Subject"] = data["subject"]
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = data.get("message_id") or make_msgid(domain="portale")
        message.set_content(data["body"])
        return message

    def send(self, data):
        s = self.settings
        with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as smtp:
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.username:
                smtp.login(s.username, s.password or "")
            smtp.send_message(self.build(data))


class MailOutbox(Persistent):
    """Messages waiting to leave: added with the content, removed once sent."""

    def __init__(self):
        self._items = LOBTree()

    def add(self, to, subject, body):
        # a time-ordered random key, not a counter: concurrent requests insert
        # different keys, which BTree conflict resolution merges without a retry
        key = time.time_ns() // 1000 * 1024 + secrets.randbelow(1024)
        while key in self._items:
            key += 1
        self._items[key] = {
            "to": to, "subject": subject, "body": body, "attempts": 0, "last_error": "",
            "queued_at": datetime.now(UTC), "message_id": make_msgid(domain="portale"),
        }
        return key

    def pending(self):
        return list(self._items.items())

    def discard(self, key):
        self._items.pop(key, None)

    def failed(self, key, error):
        item = self._items.get(key)
        if item is not None:
            self._items[key] = {**item, "attempts": item["attempts"] + 1,
                                "last_error": str(error)[:500]}

    def __len__(self):
        return len(self._items)


def _in_new_transaction(db, outbox_oid, work, attempts=5):
    """Run ``work(outbox)`` in a short transaction of its own (after the request's commit).

    Concurrent requests discard their messages at the same time; a conflict the
    BTree cannot merge (e.g. the outbox becoming empty) is simply tried again.
    """
    from ZODB.POSException import ConflictError  # noqa: PLC0415

    from portal.write_lock import writing  # noqa: PLC0415

    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        for attempt in range(attempts):
            try:
                # the requests of this process queue mail meanwhile: wait for them
                with writing(db), tm:
                    work(conn.get(outbox_oid))
                return
            except ConflictError:
                if attempt == attempts - 1:
                    raise
    finally:
        conn.close()


def _send_after_commit(committed, mailer, db, outbox_oid, key, data):
    if not committed:
        return
    try:
        mailer.send(data)
    except Exception as exc:  # noqa: BLE001 - the committed request must stand
        log.warning("mail to %s not sent, kept in the outbox: %s", data["to"], exc)
        try:
            _in_new_transaction(db, outbox_oid, lambda box, error=exc: box.failed(key, error))
        except Exception:  # noqa: BLE001
            log.exception("could not record the mail failure")
        return
    try:
        _in_new_transaction(db, outbox_oid, lambda box: box.discard(key))
    except Exception:  # noqa: BLE001 - a duplicate later is better than a broken request
        log.exception("mail sent but not removed from the outbox")


def queue(outbox, mailer, to, subject, body, txn=None):
    """Queue a message in ``outbox`` (persistent, already stored) and send it after commit."""
    if outbox._p_jar is None:
        raise ValueError("the outbox must be stored in the database")
    key = outbox.add(to, subject, body)
    data = dict(outbox._items[key])
    db = outbox._p_jar.db()
    txn = txn or outbox._p_jar.transaction_manager.get()
    # the oid exists once the outbox was committed; new outboxes get one at commit
    txn.addAfterCommitHook(
        lambda committed: _send_after_commit(committed, mailer, db, outbox._p_oid, key, data))
    return key


def flush(db, outbox_oid, mailer):
    """Retry every queued message; returns (sent, still pending)."""
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    sent = 0
    try:
        with tm:
            items = conn.get(outbox_oid).pending()
        for key, data in items:
            try:
                mailer.send(data)
            except Exception as exc:  # noqa: BLE001
                log.warning("mail to %s still not sent: %s", data["to"], exc)
                with tm:
                    conn.get(outbox_oid).failed(key, exc)
                continue
            with tm:
                conn.get(outbox_oid).discard(key)
            sent += 1
        with tm:
            left = len(conn.get(outbox_oid))
    finally:
        conn.close()
    return sent, left
