"""The register of benefits (issue 16): every benefit a person receives from any source,
classified by the SIUSS code table (data); the duplicate check across ATS; vouchers written
from funded applications and paid attestations; proposals of benefits (a background job); the
SIUSS/Casellario flow; the map of needs.

``config.include("portal.register")`` scans its views and subscribers.
"""


def includeme(config):
    config.include("portal.register.proposals")  # the «proposte» job and what records it
    config.include("portal.register.needs_map")  # the map's counters follow cases and benefits
    config.include("portal.register.subscribers")  # vouchers follow their applications
    config.scan("portal.register")
