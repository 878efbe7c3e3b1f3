"""A real Elasticsearch for the tests, from Maven Central, cached outside the repo.

``ElasticsearchServer.obtain()`` resolves the newest published
``org.elasticsearch.distribution.integ-test-zip:elasticsearch`` with Maven
(``mvn dependency:copy``), keeps it in ``~/.cache/portal-es`` (override with
``PORTAL_ES_CACHE``), unpacks it once and runs it on 127.0.0.1 with a small
heap, security off, single-node discovery, on a free port. Reusable: the lead
may move this module next to ``tests/conftest.py``.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

GROUP = "org.elasticsearch.distribution.integ-test-zip"
ARTIFACT = "elasticsearch"
METADATA_URL = ("https://repo1.maven.org/maven2/org/elasticsearch/distribution/"
                "integ-test-zip/elasticsearch/maven-metadata.xml")
METADATA_MAX_AGE = 7 * 24 * 3600
JAVA_HOMES = ("/usr/lib/jvm", "/opt")


class ServerUnavailable(RuntimeError):
    pass


def cache_dir():
    path = Path(os.environ.get("PORTAL_ES_CACHE", Path.home() / ".cache" / "portal-es"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _version_key(version):
    return tuple(int(p) if p.isdigit() else -1 for p in re.split(r"[.-]", version))


def published_versions():
    """Release versions on Maven Central, newest first (cached metadata when offline)."""
    meta = cache_dir() / "maven-metadata.xml"
    fresh = meta.exists() and time.time() - meta.stat().st_mtime < METADATA_MAX_AGE
    if not fresh:
        try:
            with urllib.request.urlopen(METADATA_URL, timeout=30) as response:
                meta.write_bytes(response.read())
        except OSError:
            if not meta.exists():
                return []
    versions = re.findall(r"<version>([^<]+)</version>", meta.read_text())
    releases = [v for v in versions if re.fullmatch(r"\d+\.\d+\.\d+", v)]
    return sorted(releases, key=_version_key, reverse=True)


def _download(version):
    target = cache_dir() / f"elasticsearch-{version}.zip"
    if target.exists():
        return target
    mvn = shutil.which("mvn")
    if mvn is None:
        return None
    result = subprocess.run(
        [mvn, "-B", "-q", "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy",
         f"-Dartifact={GROUP}:{ARTIFACT}:{version}:zip",
         f"-DoutputDirectory={cache_dir()}"],
        capture_output=True, text=True, timeout=1800, check=False,
    )
    return target if result.returncode == 0 and target.exists() else None


def resolve():
    """(version, zip path) of the newest version that resolves; cached zips count."""
    for version in published_versions():
        path = _download(version)
        if path is not None:
            return version, path
    cached = sorted(cache_dir().glob("elasticsearch-*.zip"),
                    key=lambda p: _version_key(p.stem.split("-", 1)[1]), reverse=True)
    if cached:
        return cached[0].stem.split("-", 1)[1], cached[0]
    raise ServerUnavailable("no Elasticsearch version resolves from Maven Central")


def unpack_dir():
    """Where the zip is unpacked: the cache, or a world-readable place under root.

    Elasticsearch refuses to run as root; then it runs as ``nobody``, which
    cannot read ``/root/.cache``.
    """
    if os.geteuid() == 0:
        path = Path(os.environ.get("PORTAL_ES_RUNTIME", "/var/tmp/portal-es"))
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o755)
        return path
    return cache_dir()


def unpack(version, zip_path):
    home = unpack_dir() / f"elasticsearch-{version}"
    if not (home / "bin" / "elasticsearch").exists():
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(unpack_dir())
        for script in (home / "bin").iterdir():
            script.chmod(0o755)
    return home


def java_version(home):
    release = Path(home) / "release"
    if not release.exists():
        return None
    match = re.search(r'JAVA_VERSION="(\d+)', release.read_text())
    return int(match.group(1)) if match else None


def find_java(minimum):
    """The oldest installed JDK at least ``minimum`` (ES 8 needs 17, ES 9 needs 21)."""
    candidates = []
    for base in JAVA_HOMES:
        for home in Path(base).glob("*"):
            version = java_version(home)
            if version and version >= minimum and (home / "bin" / "java").exists():
                candidates.append((version, str(home)))
    if not candidates:
        raise ServerUnavailable(f"no Java >= {minimum} under {JAVA_HOMES}")
    return min(candidates)[1]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ElasticsearchServer:
    """One node; ``kill()`` and ``start()`` again keep its data (same port)."""

    def __init__(self, version, home, workdir):
        self.version = version
        self.home = Path(home)
        self.workdir = Path(workdir)
        self.port = free_port()
        self.transport_port = free_port()
        self.process = None
        self.url = f"http://127.0.0.1:{self.port}"

    @classmethod
    def obtain(cls, workdir=None):
        version, zip_path = resolve()
        home = unpack(version, zip_path)
        return cls(version, home, workdir or tempfile.mkdtemp(prefix="portal-es-"))

    @property
    def major(self):
        return int(self.version.split(".")[0])

    def start(self, timeout=120):
        java = find_java(21 if self.major >= 9 else 17)
        env = dict(os.environ, ES_JAVA_HOME=java, JAVA_HOME=java,
                   ES_JAVA_OPTS="-Xms256m -Xmx512m",
                   ES_TMPDIR=str(self.workdir / "tmp"))
        (self.workdir / "tmp").mkdir(parents=True, exist_ok=True)
        prefix = []
        if os.geteuid() == 0:  # Elasticsearch refuses root: drop to nobody
            prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
            env["HOME"] = str(self.workdir)
            for path in [self.workdir, *self.workdir.rglob("*")]:
                os.chown(path, 65534, 65534)
            os.chmod(self.workdir, 0o755)  # noqa: S103 - the server runs as nobody and must read it
            config = self.home / "config"
            for path in [config, *config.rglob("*")]:
                os.chown(path, 65534, 65534)
        args = prefix + [
            str(self.home / "bin" / "elasticsearch"),
            "-E", f"path.data={self.workdir / 'data'}",
            "-E", f"path.logs={self.workdir / 'logs'}",
            "-E", "network.host=127.0.0.1",
            "-E", f"http.port={self.port}",
            "-E", f"transport.port={self.transport_port}",
            "-E", "discovery.type=single-node",
            "-E", "xpack.security.enabled=false",
            "-E", "cluster.routing.allocation.disk.threshold_enabled=false",
        ]
        self._close_log()
        self.log = open(self.workdir / "stdout.log", "ab")  # noqa: SIM115 - lives with the server process
        self.process = subprocess.Popen(args, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerUnavailable(
                    f"Elasticsearch exited ({self.process.returncode}); see {self.workdir}")
            try:
                url = f"{self.url}/_cluster/health?wait_for_status=yellow&timeout=1s"
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise ServerUnavailable(f"Elasticsearch not ready in {timeout}s; see {self.workdir}")

    def kill(self):
        """SIGKILL, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(30)
        self._close_log()

    def _close_log(self):
        if getattr(self, "log", None) is not None:
            self.log.close()
            self.log = None

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_log()
