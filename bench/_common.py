"""Helpers the benchmarks share: seeded Italian text, percentiles, free ports, wrk."""
import json
import re
import socket
import statistics
import subprocess
import sys
from pathlib import Path

_WORDS = """
assistenza domiciliare anziani persone non autosufficienti servizio sociale comune ambito
territoriale domanda buono servizio infanzia asilo nido bambini famiglia reddito isee
contributo affitto disabilità trasporto scolastico centro diurno cura educativa minori
progetto individuale piano zona regione puglia ente gestore accreditamento prestazione
ore settimanali operatore socio sanitario infermiere fisioterapia riabilitazione
integrazione lavorativa inclusione povertà sostegno genitori tutela assegno sussidio
richiedente residenza certificato medico invalidità civile legge accompagnamento
graduatoria punteggio priorità nucleo familiare componenti figli coniuge lavoro
disoccupazione dichiarazione sostitutiva documento identità allegato protocollo
istruttoria verifica requisiti esito approvazione rigetto ricorso termine scadenza
mensile attestazione frequenza presenza pagamento liquidazione fattura rendiconto
voucher spesa importo euro quota compartecipazione utente tariffa convenzione
struttura residenziale comunità alloggio casa riposo assistenziale sanitaria
psicologo mediazione culturale sportello ascolto orientamento formazione tirocinio
"""
VOCABULARY = _WORDS.split()

#: wrk's done() hook: one JSON line with the figures --latency does not print (p95)
WRK_DONE_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p75_us":%d,"p90_us":%d,'
    .. '"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,"errors":{"connect":%d,'
    .. '"read":%d,"write":%d,"status":%d,"timeout":%d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(75),
    latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max,
    latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def text(rnd, words, vocabulary=VOCABULARY):
    """``words`` seeded Italian words in capitalised sentences."""
    out, sentence = [], []
    for _ in range(words):
        sentence.append(rnd.choice(vocabulary))
        if len(sentence) > rnd.randint(8, 16):
            out.append(" ".join(sentence).capitalize() + ".")
            sentence = []
    if sentence:
        out.append(" ".join(sentence).capitalize() + ".")
    return " ".join(out)


def percentiles(samples):
    """Median and p95 in milliseconds of samples given in seconds."""
    ms = sorted(s * 1000 for s in samples)
    return {"median_ms": round(statistics.median(ms), 3),
            "p95_ms": round(ms[max(0, int(len(ms) * 0.95) - 1)], 3),
            "runs": len(ms)}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def run_wrk(url, seconds, connections, threads, workdir):
    """Run wrk with --latency and the p95 hook; its figures as a dict."""
    script = Path(workdir) / "done.lua"
    script.write_text(WRK_DONE_LUA)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
           "-s", str(script), url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return parse_wrk(out)


def _to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(out):
    figures = {}
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    figures["requests_per_s"] = float(match.group(1)) if match else None
    for pct in ("50", "75", "90", "99"):
        match = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
        if match:
            figures[f"p{pct}_ms"] = round(_to_ms(*match.groups()), 2)
    match = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    figures["non_2xx_3xx"] = int(match.group(1)) if match else 0
    match = re.search(r"^WRK_JSON (.*)$", out, re.MULTILINE)
    if match:
        raw = json.loads(match.group(1))
        figures["p95_ms"] = round(raw["p95_us"] / 1000, 2)
        figures["max_ms"] = round(raw["max_us"] / 1000, 2)
        figures["mean_ms"] = round(raw["mean_us"] / 1000, 2)
        figures["requests"] = raw["requests"]
        figures["socket_errors"] = raw["errors"]
    return figures


def start_server(script, directory, threads, probe_path="/", timeout=120):
    """Run ``script --serve directory`` (waitress) on a free port; wait until it answers."""
    import time
    import urllib.request

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(script), "--serve", str(directory), "--port", str(port),
         "--threads", str(threads)],
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(base + probe_path, timeout=10) as response:
                if response.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start")


def stop_server(proc):
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def submission_drafts(app, count):
    """In ``app``: the demo with catalogue and applications, and ``count`` drafts ready to submit."""
    from portal.demo import add_demo_data
    from portal.demo.applications import add_applications_demo
    from portal.demo.providers import add_catalogue_demo
    from tests.functional.applications.conftest import add_drafts, run_in_app

    def build(portal):
        add_demo_data(portal, app.registry)
        add_catalogue_demo(portal, app.registry)
        add_applications_demo(portal, app.registry)
        entry = portal["catalogo"]["girasole"]["nido-girasole"]["nido-tempo-pieno"]
        entry.places.set_capacity(count + 50)
        return add_drafts(portal, app.registry, count)
    return run_in_app(app, build)


def protocol_check(app):
    """(numbers unique and gap-free, receipts signed, applications protocolled) of the bench call."""
    from tests.functional.applications.conftest import run_in_app

    def check(portal):
        folder = portal["ambiti"]["ba-01"]["domande"]["buoni-minori-2026"]
        found = [a for a in folder.values() if a.protocol]
        numbers = sorted(int(a.protocol.split("/")[1]) for a in found)
        return (numbers == list(range(1, len(numbers) + 1)),
                sum(1 for a in found if a.receipt_uid), len(found))
    return run_in_app(app, check)
