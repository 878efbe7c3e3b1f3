"""A throw-away test PKI built with certomancer and served on loopback.

Used by the document tests and by bench/pdf.py: root CA, intermediate CA, the
office's signing certificate, a revoked one, an expired one, an untrusted
("rogue") chain, an RFC 3161 TSA, CRLs and OCSP, all served over HTTP on
127.0.0.1 by certomancer's aiohttp animator running in a background thread.
"""
import asyncio
import base64
import multiprocessing
import os
import socket
import threading
from dataclasses import dataclass, field

from aiohttp import web
from certomancer.integrations.aiohttp_animator import build_animator_app
from certomancer.registry import CertomancerConfig
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ARCH = "portal-test"
P12_PASSWORD = b"test-p12-password"

KEYS = ("root", "interm", "interm-ocsp", "tsa", "office", "revoked", "expired",
        "rogue-root", "rogue")

ARCH_YAML = """
keyset: portal-test
entity-defaults:
  country-name: IT
  organization-name: Regione di Prova
entities:
  root: {common-name: Root CA di Prova}
  interm: {common-name: CA intermedia di Prova}
  interm-ocsp: {common-name: OCSP di Prova}
  tsa: {common-name: TSA di Prova}
  office: {organizational-unit-name: Ufficio di Piano, common-name: Ambito BA-01 (TEST)}
  revoked: {organizational-unit-name: Ufficio di Piano, common-name: Firmatario revocato}
  expired: {organizational-unit-name: Ufficio di Piano, common-name: Firmatario scaduto}
  rogue-root: {organization-name: Altri, common-name: CA non fidata}
  rogue: {organization-name: Altri, common-name: Firmatario non fidato}
certs:
  root:
    subject: root
    issuer: root
    validity: {valid-from: "2000-01-01T00:00:00+0000", valid-to: "2500-01-01T00:00:00+0000"}
    extensions:
      - {id: basic_constraints, critical: true, value: {ca: true}}
      - id: key_usage
        critical: true
        smart-value: {schema: key-usage, params: [digital_signature, key_cert_sign, crl_sign]}
  interm:
    issuer: root
    validity: {valid-from: "2000-01-01T00:00:00+0000", valid-to: "2400-01-01T00:00:00+0000"}
    extensions:
      - {id: basic_constraints, critical: true, value: {ca: true, path-len-constraint: 0}}
      - id: key_usage
        critical: true
        smart-value: {schema: key-usage, params: [digital_signature, key_cert_sign, crl_sign]}
      - id: crl_distribution_points
        smart-value: {schema: crl-dist-url, params: {crl-repo-names: [root]}}
  interm-ocsp:
    issuer: interm
    validity: {valid-from: "2000-01-01T00:00:00+0000", valid-to: "2400-01-01T00:00:00+0000"}
    extensions:
      - id: key_usage
        critical: true
        smart-value: {schema: key-usage, params: [digital_signature]}
      - {id: extended_key_usage, critical: true, value: [ocsp_signing]}
      - {id: ocsp_no_check}
  tsa:
    issuer: root
    validity: {valid-from: "2000-01-01T00:00:00+0000", valid-to: "2400-01-01T00:00:00+0000"}
    extensions:
      - id: key_usage
        critical: true
        smart-value: {schema: key-usage, params: [digital_signature]}
      - {id: extended_key_usage, critical: true, value: [time_stamping]}
      - id: crl_distribution_points
        smart-value: {schema: crl-dist-url, params: {crl-repo-names: [root]}}
  office:
    issuer: interm
    validity: {valid-from: "2020-01-01T00:00:00+0000", valid-to: "2400-01-01T00:00:00+0000"}
    extensions:
      - id: key_usage
        critical: true
        smart-value: {schema: key-usage, params: [digital_signature, non_repudiation]}
      - id: crl_distribution_points
        smart-value: {schema: crl-dist-url, params: {crl-repo-names: [interm]}}
      - id: authority_information_access
        smart-value:
          schema: aia-urls
          params: {ocsp-responder-names: [interm]}
  revoked:
    template: office
    subject: revoked
    subject-key: revoked
    revocation:
      revoked-since: "2021-01-01T00:00:00+0000"
      reason: key_compromise
  expired:
    template: office
    subject: expired
    subject-key: expired
    validity: {valid-from: "2020-01-01T00:00:00+0000", valid-to: "2022-01-01T00:00:00+0000"}
  rogue-root:
    subject: rogue-root
    issuer: rogue-root
    validity: {valid-from: "2000-01-01T00:00:00+0000", valid-to: "2500-01-01T00:00:00+0000"}
    extensions:
      - {id: basic_constraints, critical: true, value: {ca: true}}
      - id: key_usage
        critical: true
        smart-value: {schema: key-usage, params: [digital_signature, key_cert_sign, crl_sign]}
  rogue:
    issuer: rogue-root
    validity: {valid-from: "2020-01-01T00:00:00+0000", valid-to: "2400-01-01T00:00:00+0000"}
    extensions:
      - id: key_usage
        critical: true
        smart-value: {schema: key-usage, params: [digital_signature, non_repudiation]}
      - id: crl_distribution_points
        smart-value: {schema: crl-dist-url, params: {crl-repo-names: [rogue-root]}}
services:
  ocsp:
    interm: {for-issuer: interm, responder-cert: interm-ocsp, signing-key: interm-ocsp}
  crl-repo:
    root: {for-issuer: root, signing-key: root, simulated-update-schedule: "P90D"}
    interm: {for-issuer: interm, signing-key: interm, simulated-update-schedule: "P30D"}
    rogue-root: {for-issuer: rogue-root, signing-key: rogue-root, simulated-update-schedule: "P90D"}
  cert-repo:
    root: {for-issuer: root, publish-issued-certs: yes}
    interm: {for-issuer: interm, publish-issued-certs: no}
  time-stamping:
    tsa: {signing-key: tsa, signing-cert: tsa}
"""


def _write_keys(key_dir):
    os.makedirs(key_dir, exist_ok=True)
    lines = ["keys:"]
    for label in KEYS:
        path = os.path.join(key_dir, f"{label}.key.pem")
        if not os.path.exists(path):
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            with open(path, "wb") as fh:
                fh.write(key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption()))
        lines.append(f"  {label}: {{path: {path}}}")
    return "\n".join(lines)


class _ServerThread:
    """Runs an aiohttp app on an already-bound loopback socket in its own loop."""

    def __init__(self, app, sock):
        self.app, self.sock = app, sock
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True, name="pki-animator")
        self._ready = threading.Event()

    def _run(self):
        asyncio.set_event_loop(self.loop)
        runner = web.AppRunner(self.app, access_log=None)
        self.loop.run_until_complete(runner.setup())
        site = web.SockSite(runner, self.sock)
        self.loop.run_until_complete(site.start())
        self._ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(runner.cleanup())
        self.loop.close()

    def start(self):
        self.thread.start()
        self._ready.wait(10)

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@dataclass
class TestPKI:
    """Paths and handles of a running test PKI."""

    __test__ = False  # not a pytest class

    directory: str
    base_url: str
    arch: object
    server: object = None
    p12: dict = field(default_factory=dict)
    pem: dict = field(default_factory=dict)

    @property
    def tsa_url(self):
        return f"{self.base_url}/{ARCH}/tsa/tsa"

    @property
    def root_pem(self):
        return self.pem["root"]

    @property
    def rogue_root_pem(self):
        return self.pem["rogue-root"]

    def cert(self, label):
        return self.arch.get_cert(label)

    def key_pem(self, label):
        return os.path.join(self.directory, "keys", f"{label}.key.pem")

    def stop(self):
        if self.server is not None:
            self.server.stop()
            self.server.sock.close()
            self.server = None


class _ServerProcess:
    """The same server in a forked process, so its CPU does not count as ours (benchmarks)."""

    def __init__(self, app, sock):
        self.sock = sock
        self.process = multiprocessing.get_context("fork").Process(
            target=_serve_in_child, args=(app, sock), daemon=True)

    def start(self):
        self.process.start()

    def stop(self):
        self.process.terminate()
        self.process.join(10)


def _serve_in_child(app, sock):
    server = _ServerThread(app, sock)
    server._run()


def build_pki(directory, serve=True):
    """Generate the PKI under ``directory`` and serve it: True/"thread", "process" or False."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    keyset = _write_keys(os.path.join(directory, "keys"))
    yaml_text = (f'external-url-prefix: "{base_url}"\n'
                 f"keysets:\n  portal-test:\n"
                 + "\n".join("    " + line for line in keyset.splitlines())
                 + f"\npki-architectures:\n  {ARCH}:\n"
                 + "\n".join("    " + line for line in ARCH_YAML.strip().splitlines()))
    config = CertomancerConfig.from_yaml(yaml_text, key_search_dir=directory)
    arch = config.get_pki_arch(ARCH)
    pki = TestPKI(directory=directory, base_url=base_url, arch=arch)
    for label in ("office", "revoked", "expired", "rogue", "tsa"):
        path = os.path.join(directory, f"{label}.p12")
        with open(path, "wb") as fh:
            fh.write(arch.package_pkcs12(label, password=P12_PASSWORD))
        pki.p12[label] = path
    for label in ("root", "interm", "rogue-root", "office", "tsa"):
        path = os.path.join(directory, f"{label}.cert.pem")
        with open(path, "wb") as fh:
            fh.write(_pem(arch.get_cert(label).dump()))
        pki.pem[label] = path
    if serve:
        app = build_animator_app({arch.arch_label: arch}, with_web_ui=False)
        server_class = _ServerProcess if serve == "process" else _ServerThread
        pki.server = server_class(app, sock)
        pki.server.start()
    else:
        sock.close()
    return pki


def _pem(der):
    body = base64.encodebytes(der).decode().replace("\n", "")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines)
            + "\n-----END CERTIFICATE-----\n").encode()
