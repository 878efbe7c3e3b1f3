"""The document service's settings, read once from ``documents.*`` keys."""
import os
from dataclasses import dataclass, field

from pyramid.settings import asbool

from portal.documents.errors import ConfigurationProblem
from portal.i18n import _

PREFIX = "documents."

DEFAULTS = {
    "office_name": "Ufficio di Piano",
    "office_address": "",
    "logo": "",
    "verify_base_url": "http://localhost:6543/verifica",
    "max_upload_bytes": str(20 * 1024 * 1024),
    "max_pages": "500",
    "text_max_chars": "200000",
    # signer: "pkcs12", "pkcs11" or "" (no signing configured)
    "signer": "pkcs12",
    "pkcs12_file": "var/documents/dev-signer.p12",
    "pkcs12_password_env": "PORTAL_PKCS12_PASSWORD",
    "pkcs12_password_file": "var/documents/dev-signer.pass",
    "pkcs11_module": "",
    "pkcs11_token_label": "",
    "pkcs11_key_label": "",
    "pkcs11_cert_label": "",
    "pkcs11_pin_env": "PORTAL_PKCS11_PIN",
    "pkcs11_pin_file": "",
    "pkcs11_chain": "",
    "tsa_url": "",
    "tsa_timeout": "10",
    "embed_revocation_info": "false",
    "trust_roots": "var/documents/dev-signer.pem",
    "revocation_mode": "soft-fail",
    "allow_fetching": "true",
    "registry_name_in_root": "documenti",
}


def _paths(value):
    return tuple(p for p in str(value or "").split() if p)


@dataclass(frozen=True)
class DocumentSettings:
    """Typed view of the ``documents.*`` settings (see README for each key)."""

    office_name: str = DEFAULTS["office_name"]
    office_address: tuple = ()
    logo: str = ""
    verify_base_url: str = DEFAULTS["verify_base_url"]
    max_upload_bytes: int = 20 * 1024 * 1024
    max_pages: int = 500
    text_max_chars: int = 200000
    signer: str = "pkcs12"
    pkcs12_file: str = DEFAULTS["pkcs12_file"]
    pkcs12_password_env: str = DEFAULTS["pkcs12_password_env"]
    pkcs12_password_file: str = DEFAULTS["pkcs12_password_file"]
    pkcs11_module: str = ""
    pkcs11_token_label: str = ""
    pkcs11_key_label: str = ""
    pkcs11_cert_label: str = ""
    pkcs11_pin_env: str = DEFAULTS["pkcs11_pin_env"]
    pkcs11_pin_file: str = ""
    pkcs11_chain: tuple = ()
    tsa_url: str = ""
    tsa_timeout: int = 10
    embed_revocation_info: bool = False
    trust_roots: tuple = field(default_factory=tuple)
    revocation_mode: str = "soft-fail"
    allow_fetching: bool = True

    @classmethod
    def from_settings(cls, settings):
        """Build from a Pyramid settings mapping (keys ``documents.<name>``)."""
        raw = dict(DEFAULTS)
        for key, value in (settings or {}).items():
            if key.startswith(PREFIX):
                name = key[len(PREFIX):]
                if name not in DEFAULTS:
                    raise ConfigurationProblem(
                        _("Impostazione sconosciuta: ${key}.", mapping={"key": key}), {"key": key})
                raw[name] = value
        if raw["signer"] not in ("pkcs12", "pkcs11", ""):
            raise ConfigurationProblem(
                _("documents.signer deve essere «pkcs12», «pkcs11» o vuoto."))
        if raw["revocation_mode"] not in ("soft-fail", "hard-fail", "require"):
            raise ConfigurationProblem(
                _("documents.revocation_mode deve essere soft-fail, hard-fail o require."))
        return cls(
            office_name=raw["office_name"],
            office_address=tuple(
                line.strip() for line in str(raw["office_address"]).splitlines()
                if line.strip()),
            logo=raw["logo"],
            verify_base_url=raw["verify_base_url"].rstrip("/"),
            max_upload_bytes=int(raw["max_upload_bytes"]),
            max_pages=int(raw["max_pages"]),
            text_max_chars=int(raw["text_max_chars"]),
            signer=raw["signer"],
            pkcs12_file=raw["pkcs12_file"],
            pkcs12_password_env=raw["pkcs12_password_env"],
            pkcs12_password_file=raw["pkcs12_password_file"],
            pkcs11_module=raw["pkcs11_module"],
            pkcs11_token_label=raw["pkcs11_token_label"],
            pkcs11_key_label=raw["pkcs11_key_label"],
            pkcs11_cert_label=raw["pkcs11_cert_label"],
            pkcs11_pin_env=raw["pkcs11_pin_env"],
            pkcs11_pin_file=raw["pkcs11_pin_file"],
            pkcs11_chain=_paths(raw["pkcs11_chain"]),
            tsa_url=raw["tsa_url"],
            tsa_timeout=int(raw["tsa_timeout"]),
            embed_revocation_info=asbool(raw["embed_revocation_info"]),
            trust_roots=_paths(raw["trust_roots"]),
            revocation_mode=raw["revocation_mode"],
            allow_fetching=asbool(raw["allow_fetching"]),
        )


def read_secret(env_name, file_path, what):
    """A secret from a file (first line) or an environment variable; never from the .ini."""
    if file_path:
        try:
            with open(file_path, encoding="utf-8") as fh:
                return fh.readline().rstrip("\r\n")
        except OSError as exc:
            raise ConfigurationProblem(
                _("Impossibile leggere il file con ${what}: ${file_path}.",
                  mapping={"what": what, "file_path": file_path})) from exc
    if env_name and env_name in os.environ:
        return os.environ[env_name]
    return None
