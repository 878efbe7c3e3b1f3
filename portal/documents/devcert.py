"""A self-signed «DEV — non valido» signer so ``make run`` works with no setup."""
import datetime as dt
import os
import secrets

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from portal.documents.settings import DocumentSettings

DEV_MARK = "DEV — non valido"


def create_dev_signer(p12_path, password_path, office_name="Portale (sviluppo)",
                      days=3650, overwrite=False):
    """Write a PKCS#12 with a self-signed cert, its password file and the cert PEM.

    For development only: the certificate says «DEV — non valido» in its name
    and chains to nothing. Returns (p12_path, password_path, cert_pem_path);
    existing files are kept unless ``overwrite``.
    """
    pem_path = os.path.splitext(p12_path)[0] + ".pem"
    if os.path.exists(p12_path) and not overwrite:
        return p12_path, password_path, pem_path
    os.makedirs(os.path.dirname(os.path.abspath(p12_path)), exist_ok=True)
    os.makedirs(os.path.dirname(os.path.abspath(password_path)), exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
        # the CN may hold 64 characters only (X.509); the organization keeps the whole name,
        # which signing.subject_name shows when the CN is its cut beginning
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"{DEV_MARK}: {office_name}"),
        x509.NameAttribute(NameOID.COMMON_NAME, _fit(f"{DEV_MARK}: {office_name}", 64)),
    ])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    password = secrets.token_urlsafe(24)
    blob = pkcs12.serialize_key_and_certificates(
        name=b"dev-signer", key=key, cert=cert, cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()))
    _write_private(password_path, (password + "\n").encode())
    _write_private(p12_path, blob)
    with open(pem_path, "wb") as fh:
        fh.write(cert.public_bytes(serialization.Encoding.PEM))
    return p12_path, password_path, pem_path


def _fit(text, limit):
    """Cut ``text`` so its UTF-8 form fits ``limit`` bytes (X.509 counts bytes)."""
    while len(text.encode("utf-8")) > limit:
        text = text[:-1]
    return text


def _write_private(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def ensure_dev_signer(settings):
    """Create the dev signer named by the settings if it is missing (portal-init calls this)."""
    conf = settings if isinstance(settings, DocumentSettings) else \
        DocumentSettings.from_settings(settings)
    if conf.signer != "pkcs12" or not conf.pkcs12_password_file:
        return None
    return create_dev_signer(conf.pkcs12_file, conf.pkcs12_password_file,
                             office_name=conf.office_name)
