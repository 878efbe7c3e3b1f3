"""Italian text analysis done on our side, so both backends index the same tokens.

Pipeline per word: lowercase, accent folding, Italian stop words, Snowball
Italian stemming. Elasticsearch receives the resulting tokens and only splits
them on whitespace, so the same query gives the same hits from either backend.
"""
import html
import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TOKEN_LENGTH = 40
_stemmer = snowballstemmer.stemmer("italian")

#: the Snowball Italian stop list, accent-folded (as compared after folding)
STOP_WORDS = frozenset("""
ad al allo ai agli all agl alla alle con col coi da dal dallo dai dagli dall dagl
dalla dalle di del dello dei degli dell degl della delle in nel nello nei negli
nell negl nella nelle su sul sullo sui sugli sull sugl sulla sulle per tra contro
io tu lui lei noi voi loro mio mia miei mie tuo tua tuoi tue suo sua suoi sue
nostro nostra nostri nostre vostro vostra vostri vostre mi ti ci vi lo la li le
gli ne il un uno una ma ed se perche anche come dov dove che chi cui non piu
quale quanto quanti quanta quante quello quelli quella quelle questo questi
questa queste si tutto tutti a c e i l o ho hai ha abbiamo avete hanno abbia
abbiate abbiano avro avrai avra avremo avrete avranno avrei avresti avrebbe
avremmo avreste avrebbero avevo avevi aveva avevamo avevate avevano ebbi avesti
ebbe avemmo aveste ebbero avessi avesse avessimo avessero avendo avuto avuta
avuti avute sono sei siamo siete sia siate siano saro sarai sara saremo sarete
saranno sarei saresti sarebbe saremmo sareste sarebbero ero eri era eravamo
eravate erano fui fosti fu fummo foste furono fossi fosse fossimo fossero
essendo faccio fai facciamo fanno faccia facciate facciano faro farai fara
faremo farete faranno farei faresti farebbe faremmo fareste farebbero facevo
facevi faceva facevamo facevate facevano feci facesti fece facemmo faceste
fecero facessi facesse facessimo facessero facendo sto stai sta stiamo stanno
stia stiate stiano staro starai stara staremo starete staranno starei staresti
starebbe staremmo stareste starebbero stavo stavi stava stavamo stavate stavano
stetti stesti stette stemmo steste stettero stessi stesse stessimo stessero
stando
""".split())


def fold(text):
    """Lowercase and strip accents (``Città`` -> ``citta``)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def analyze_word(word):
    """The index token for one word, or ``None`` for a stop word."""
    folded = fold(word)[:MAX_TOKEN_LENGTH]
    if not folded or folded in STOP_WORDS:
        return None
    if folded.isalpha():
        return _stemmer.stemWord(folded)
    return folded


def analyze(text):
    """Index tokens of ``text``, in order, stop words dropped."""
    if not text:
        return []
    tokens = []
    for word in WORD.findall(text):
        token = analyze_word(word)
        if token:
            tokens.append(token)
    return tokens


def query_tokens(text):
    """Distinct tokens of a user query, in first-seen order."""
    return list(dict.fromkeys(analyze(text)))


def snippet(text, tokens, words=30, lead=8):
    """An HTML-escaped excerpt of ``text`` around the first match, matches in <mark>.

    Returns "" when no word of ``text`` analyses to one of ``tokens``.
    """
    if not text or not tokens:
        return ""
    wanted = set(tokens)
    matches, first_hit = [], None
    for m in WORD.finditer(text):  # read words up to one past the excerpt, no further
        matches.append(m)
        if first_hit is None:
            if analyze_word(m.group()) in wanted:
                first_hit = len(matches) - 1
        elif len(matches) > max(0, first_hit - lead) + words:
            break
    if first_hit is None:
        return ""
    first = max(0, first_hit - lead)
    last = min(len(matches), first + words)
    hits = {i for i in range(first_hit, last) if analyze_word(matches[i].group()) in wanted}
    out = ["…" if first else ""]
    pos = matches[first].start()
    for i in sorted(hits):  # escape the stretches between marks in one go each
        m = matches[i]
        out.append(html.escape(text[pos:m.start()]))
        out.append(f"<mark>{html.escape(m.group())}</mark>")
        pos = m.end()
    if last < len(matches):
        out.append(html.escape(text[pos:matches[last - 1].end()]))
        out.append("…")
    else:
        out.append(html.escape(text[pos:].rstrip()))
    return "".join(out)
