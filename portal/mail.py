"""E-mail after commit: each message is a job of ``portal.jobs`` (kind «mail»).

``queue`` records the message as a job *inside* the current transaction: if the
transaction aborts (or is replayed after a ConflictError), nothing is sent; once it
commits, the job sends it, and a failure is retried with backoff by the jobs pass and
shown to the administrator («Lavori in coda»). The Message-ID is fixed when the
message is queued, so a resend after a crash is recognisable as the same message.

Settings (``.ini``): ``mail.host`` (127.0.0.1), ``mail.port`` (25),
``mail.sender`` (noreply@localhost), ``mail.timeout`` seconds (10),
``mail.starttls`` (false), ``mail.username`` / ``mail.password`` (none).
"""
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from BTrees.LOBTree import LOBTree
from persistent import Persistent
from pyramid.settings import asbool
from zope.interface import Interface

from portal.jobs import enqueue

#: the job kind of one message (registered by ``portal.jobs``)
MAIL_JOB = "mail"


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
    """Legacy (before evolve step 8): messages waiting to leave; now jobs of kind «mail»."""

    def __init__(self):
        self._items = LOBTree()

    def pending(self):
        return list(self._items.items())

    def __len__(self):
        return len(self._items)


def message(to, subject, body, message_id=None):
    """The payload of a mail job."""
    return {"to": to, "subject": subject, "body": body,
            "message_id": message_id or make_msgid(domain="portale")}


def queue(stored, registry, to, subject, body, key=None, txn=None):
    """Queue a message with the transaction of ``stored`` (a stored object); sent after commit."""
    conn = getattr(stored, "_p_jar", None)
    if conn is None:
        raise ValueError("the object must be stored in the database")
    return enqueue(conn, registry, MAIL_JOB, message(to, subject, body),
                   key=f"mail:{key}" if key else None, txn=txn)


def send_job(payload, registry, db):
    """The «mail» job: one SMTP delivery through the process's registered Mailer."""
    get_mailer(registry).send(payload)


class IMailer(Interface):
    """Marks the process's ``Mailer`` utility (``request.mailer`` in views)."""


def get_mailer(registry):
    """The Mailer registered in ``registry`` (scripts, the clock thread, after-commit work)."""
    return registry.getUtility(IMailer)


def request_mailer(request):
    """``request.mailer``: the registered Mailer."""
    return get_mailer(request.registry)


def includeme(config):
    """One Mailer per process from the ``mail.*`` settings, as a utility and ``request.mailer``."""
    config.registry.registerUtility(Mailer(MailSettings.from_settings(config.registry.settings)),
                                    IMailer)
    config.add_request_method(request_mailer, "mailer", reify=True)
    config.add_job_kind("mail", "portal.mail.send_job")  # after portal.jobs (portal.main's order)
