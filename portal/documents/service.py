"""The per-application document service: settings, the reusable signer, trust roots."""
import logging
import os
import threading

from zope.interface import Interface

from portal.documents.errors import ConfigurationProblem
from portal.documents.registry import issue_document, store_upload
from portal.documents.render import Header, Office
from portal.documents.settings import DocumentSettings
from portal.documents.signing import DocumentSigner, load_certificates
from portal.documents.verify import verify_pdf
from portal.i18n import _

log = logging.getLogger(__name__)


class IDocumentService(Interface):
    """Marks the process's ``DocumentService`` utility (``request.documents`` in views)."""


class DocumentService:
    """Holds what is expensive to build once per process; a registered utility."""

    def __init__(self, settings: DocumentSettings, signer=None, trust_roots=None):
        self.settings = settings
        self._signer = signer
        self._trust_roots = trust_roots
        self._lock = threading.Lock()

    @property
    def signer(self):
        """The office's DocumentSigner, built on first use (the key may live in an HSM)."""
        if self._signer is None:
            with self._lock:
                if self._signer is None:
                    signer = DocumentSigner.from_settings(self.settings)
                    if signer is None:
                        raise ConfigurationProblem(
                            _("Nessun firmatario configurato (documents.signer)."))
                    self._signer = signer
        return self._signer

    @property
    def trust_roots(self):
        if self._trust_roots is None:
            paths = []
            for path in self.settings.trust_roots:
                if os.path.exists(path):
                    paths.append(path)
                else:
                    log.warning("trust root %s not found: ignored", path)
            self._trust_roots = tuple(load_certificates(paths))
        return self._trust_roots

    def office(self):
        s = self.settings
        return Office(name=s.office_name, address=s.office_address, logo=s.logo)

    def header(self, title, protocol="", date=None, verify_url="", subject=""):
        return Header(office=self.office(), title=title, protocol=protocol, date=date,
                      verify_url=verify_url, subject=subject)

    def verify(self, source, registry=None):
        s = self.settings
        return verify_pdf(source, self.trust_roots, registry, max_bytes=s.max_upload_bytes,
                          max_pages=s.max_pages, allow_fetching=s.allow_fetching,
                          revocation_mode=s.revocation_mode)

    def issue(self, registry, template, data, *, kind, title, protocol="", object_uid=None,
              object_path="", date=None, subject=""):
        """Render ``template(header, data)``, sign it and register it in ``registry``."""
        def render(verify_url):
            return template(self.header(title, protocol, date, verify_url, subject), data)
        return issue_document(registry, self.signer, render, kind=kind, title=title,
                              verify_base_url=self.settings.verify_base_url,
                              object_uid=object_uid, object_path=object_path,
                              protocol=protocol)

    def store_upload(self, source, filename="", uploader=None, registry=None):
        s = self.settings
        return store_upload(source, max_bytes=s.max_upload_bytes, max_pages=s.max_pages,
                            text_max_chars=s.text_max_chars, filename=filename,
                            uploader=uploader, trust_roots=self.trust_roots,
                            registry=registry, allow_fetching=s.allow_fetching,
                            revocation_mode=s.revocation_mode)


def get_service(registry):
    """The DocumentService registered in ``registry`` (by ``portal.documents``' includeme)."""
    return registry.getUtility(IDocumentService)


def query_service(registry):
    """The registered DocumentService, or None where ``portal.documents`` is not included."""
    return registry.queryUtility(IDocumentService)
