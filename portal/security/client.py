"""Who is on the other end: the client address (proxy-aware only when told) and a browser summary."""
import re

#: ``(pattern, name)``, most specific first (Edge and Opera also say "Chrome")
BROWSERS = (
    (r"Edg(e|A|iOS)?/", "Edge"), (r"OPR/|Opera", "Opera"), (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/", "Chrome"), (r"Safari/", "Safari"), (r"curl/", "curl"),
    (r"python-requests|Python-urllib|aiohttp|httpx", "script Python"),
)
SYSTEMS = (
    (r"Android", "Android"), (r"iPhone|iPad|iOS", "iOS"), (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"), (r"CrOS", "ChromeOS"), (r"Linux", "Linux"),
)


def client_address(request):
    """REMOTE_ADDR; X-Forwarded-For only from the proxy named in ``portal.trusted_proxy``.

    ``request.client_addr`` would believe any client's X-Forwarded-For, which
    would let an attacker pick a fresh address for every guess.
    """
    remote = request.remote_addr or ""
    trusted = request.registry.settings.get("portal.trusted_proxy", "").split()
    forwarded = request.headers.get("X-Forwarded-For", "")
    if remote in trusted and forwarded:
        # the proxy appends the address it saw: the last entry is the one it vouches for
        return forwarded.split(",")[-1].strip()[:64]
    return remote[:64]


def agent_summary(user_agent):
    """«Firefox / Linux»: enough to recognise a session, not a fingerprint."""
    text = user_agent or ""
    browser = next((name for pattern, name in BROWSERS if re.search(pattern, text)), None)
    system = next((name for pattern, name in SYSTEMS if re.search(pattern, text)), None)
    if browser and system:
        return f"{browser} / {system}"
    return browser or system or text[:40]
