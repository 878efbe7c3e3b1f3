"""Exception root of the social registry: ``code`` for machines, ``message`` in Italian.

422 when the data is wrong, 409 when what is stored forbids it (a person already registered,
a person already in another household).
"""
from portal.errors import PortalError
from portal.i18n import _


class PeopleError(PortalError):
    code = "people_error"
    http_status = 422
    default_message = _("Operazione sull'anagrafica sociale non riuscita.")


class InvalidPersonData(PeopleError):
    """A field of a person, a household or an address is malformed: nothing was saved."""

    code = "invalid_person_data"
    default_message = _("Alcuni dati non sono validi: nessuna modifica è stata salvata. "
                        "Correggere i campi indicati.")


class PersonExists(PeopleError):
    code = "person_exists"
    http_status = 409
    default_message = _("Questa persona è già registrata nell'anagrafica sociale.")


class AlreadyInHousehold(PeopleError):
    code = "already_in_household"
    http_status = 409
    default_message = _("La persona fa già parte di un altro nucleo familiare: toglierla da "
                        "quel nucleo prima di aggiungerla a questo.")


class UnknownPerson(PeopleError):
    code = "unknown_person"
    http_status = 404
    default_message = _("La persona non è nell'anagrafica sociale.")


class UnknownMunicipality(PeopleError):
    code = "unknown_municipality"
    default_message = _("Il comune indicato non appartiene a nessun Ambito del portale.")
