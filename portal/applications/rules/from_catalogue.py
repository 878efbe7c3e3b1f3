"""Applying from a catalogue entry: may this entry be chosen under this call, in this ATS, now?

Pure: the call, the entry and the ATS code come in, an Italian refusal goes out.
The entry page asks it to decide whether to offer «Richiedi il buono»; the new
draft asks it again, since a link can be old or forged.
"""
from portal.applications.rules.errors import CallClosed, EntryUnavailable, NotEligible
from portal.applications.rules.matching import check_entry
from portal.applications.rules.submission import check_window
from portal.i18n import _
from workflows.catalogue_entry import PUBLISHED


def check_entry_for_call(call, entry, district_code, now):
    """Refuse (Italian) unless ``entry`` may be chosen in a new draft of ``call`` in that ATS."""
    if getattr(entry, "type_name", None) != "CatalogueEntry":
        raise EntryUnavailable(_("Il servizio indicato non esiste nel catalogo."),
                               {"voce": "non trovata"})
    if entry.state != PUBLISHED:
        raise EntryUnavailable(
            _("Il servizio «${title}» non è più pubblicato nel catalogo: sceglierne un altro "
              "dal catalogo.", mapping={"title": entry.title}), {"voce": "non pubblicata"})
    if call is None or not call.current:
        raise CallClosed(_("L'avviso di questa domanda non è più in vigore: consultare gli "
                           "avvisi aperti."), {"voce": "avviso non in vigore"})
    check_window(call, now)
    if entry.service_type not in call.service_types:
        raise NotEligible(
            _("Il servizio «${title}» (${service}) non è tra quelli finanziati dall'avviso "
              "«${call}».", mapping={"title": entry.title,
                                    "service": entry.service_title or entry.service_type,
                                    "call": call.title}), (), {"voce": "tipo di servizio"})
    check_entry(entry, district_code)
    return entry
