"""Records with a protocol number (DPR 445/2000) are annulled with a reason, never deleted."""
from content_types.base import Container
from portal.errors import PortalError
from portal.i18n import _


class RegisteredRecord(PortalError):
    """A delete would remove a protocolled record (or a container holding one)."""

    code = "registered_record"
    http_status = 409
    default_message = _("Un documento protocollato non si elimina (DPR 445/2000): se ne "
                        "annulla la registrazione, con la motivazione.")


def protocol_of(obj):
    """The protocol number ``obj`` was registered with, or None."""
    protocol = getattr(obj, "protocol", None)
    return protocol if isinstance(protocol, str) and protocol else None


def first_registered(obj):
    """``obj`` or the first object below it that carries a protocol number, or None."""
    stack = [obj]
    while stack:
        node = stack.pop()
        if protocol_of(node):
            return node
        if isinstance(node, Container):
            stack.extend(node.values())
    return None


#: the social side's records (issue 16): people, households, case files, benefits
SOCIAL_RECORDS = frozenset({"Person", "Household", "CaseFile", "CaseNote", "Benefit"})


def first_social_record(obj):
    """``obj`` or the first object below it of the social registry, or None."""
    stack = [obj]
    while stack:
        node = stack.pop()
        if getattr(node, "type_name", "") in SOCIAL_RECORDS:
            return node
        if isinstance(node, Container):
            stack.extend(node.values())
    return None


def check_deletable(obj):
    """Raise ``RegisteredRecord`` if deleting ``obj`` would remove a protocolled record,
    or the social registry's people, case files and benefits (kept, never swept away)."""
    found = first_registered(obj)
    if found is None:
        if first_social_record(obj) is not None:
            raise RegisteredRecord(_(
                "Questo elemento contiene dati dell'anagrafica sociale (persone, nuclei "
                "familiari, cartelle sociali o prestazioni) e non si può eliminare."))
        return
    mapping = {"protocol": protocol_of(found)}
    if found is obj:
        message = _("Questo documento è protocollato (protocollo ${protocol}) e non si può "
                    "eliminare (DPR 445/2000): annullarne la registrazione con l'operazione "
                    "«Annulla la registrazione», indicando la motivazione.", mapping=mapping)
    else:
        message = _("Questo elemento contiene documenti protocollati (ad esempio il "
                    "protocollo ${protocol}) e non si può eliminare (DPR 445/2000): le "
                    "registrazioni si annullano, con la motivazione, una per una.",
                    mapping=mapping)
    raise RegisteredRecord(message, {"protocol": mapping["protocol"]})
