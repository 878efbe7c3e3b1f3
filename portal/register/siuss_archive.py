"""What the ATS has sent to SIUSS: one ``Transmission`` per flow, numbered, with its XML.

Plain persistent records (not content): the archive hangs on the ATS's register of benefits
(``ambiti/<ats>/prestazioni``) as ``siuss_archive``, made with the first transmission. The
XML is a blob written once; the signed receipt lives in the document registry.
"""
import hashlib

from BTrees.IOBTree import IOBTree
from persistent import Persistent
from ZODB.blob import Blob

ATTRIBUTE = "siuss_archive"


class Transmission(Persistent):
    """One flow sent: its name, period, operator, counts, the XML and the receipt's id."""

    number = 0
    uid = ""
    name = ""
    when = None  # UTC
    who = ""  # login
    operator = ""  # CFOperatore
    start = None
    end = None
    beneficiaries = 0
    sent = 0  # benefits in the flow
    inserts = 0
    cancellations = 0
    not_sent = 0
    sha256 = ""
    receipt_uid = ""
    #: tuple of dicts: beneficiary, fiscal_code, benefit, problems (tuple of Italian texts)
    errors = ()
    #: tuple of (benefit uid, operation)
    benefits = ()
    xml = None  # Blob

    def __init__(self, **attrs):
        for key, value in attrs.items():
            setattr(self, key, value)

    def store_xml(self, data):
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.xml = Blob()
        with self.xml.open("w") as fh:
            fh.write(data)

    def read_xml(self):
        with self.xml.open("r") as fh:
            return fh.read()


class Archive(Persistent):
    """The transmissions of one ATS by number (1, 2, …), newest last."""

    def __init__(self):
        self.by_number = IOBTree()
        self.names = set()

    def next_number(self):
        return (self.by_number.maxKey() + 1) if len(self.by_number) else 1

    def add(self, transmission):
        self.by_number[transmission.number] = transmission
        self.names = {*self.names, transmission.name}

    def get(self, number):
        return self.by_number.get(number)

    def newest_first(self):
        return list(reversed(self.by_number.values()))


def archive_of(folder, create=False):
    """The folder's archive (None while nothing was sent, unless ``create``)."""
    archive = getattr(folder, ATTRIBUTE, None)
    if archive is None and create:
        archive = Archive()
        setattr(folder, ATTRIBUTE, archive)
    return archive
