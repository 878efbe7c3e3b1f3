"""Demo of the social side (issue 16): municipal roles, people and households, a case in care.

In Bari (BA-01): the citizen Marco Conte heads a household with his son; Giovanni Greco, an
elderly man living alone, is in the care of the social worker ``as-bari`` (office
``ss-bari``) with an assessment, a PAI and notes, and receives home care hours from the
municipality. ``as-modugno`` works in Modugno and is outside his team: she cannot read it.
"""
from datetime import date, timedelta

from content_types.security import MUNICIPAL_OPERATOR, SOCIAL_WORKER, set_local_roles
from content_types.users import User
from content_types.values import rome_today
from portal.cases import store as cases
from portal.demo.ids import fiscal_code
from portal.people import store as people
from portal.register import grant

DISTRICT = "ba-01"
#: login, name, role, where (a municipality of BA-01), groups, fiscal code
STAFF = (
    ("comune-bari", "Lucia Marino (Comune di Bari, servizi sociali)", MUNICIPAL_OPERATOR,
     "bari", (), fiscal_code("MRN", "LCU", date(1979, 5, 14), female=True)),
    ("as-bari", "Francesca Gallo (assistente sociale, Bari)", SOCIAL_WORKER, "bari",
     ("ss-bari",), fiscal_code("GLL", "FNC", date(1982, 9, 3), female=True)),
    ("as-modugno", "Elena Costa (assistente sociale, Modugno)", SOCIAL_WORKER, "modugno",
     ("ss-modugno",), fiscal_code("CST", "LNE", date(1986, 1, 22), female=True)),
)
CITIZEN_CODE = "CNTMRC85P09E506E"  # the demo's «cittadino», Marco Conte
SON_CODE = fiscal_code("CNT", "LCA", date(2019, 4, 7))
ELDER_CODE = fiscal_code("GRC", "GVN", date(1941, 2, 11))
BARI = {"kind": "residence", "istat": "072006", "region": "16"}
CASE_OFFICE = "ss-bari"
MANAGER = "as-bari"
SINA = {"Mobilita": "2", "AttivitaVitaQuotidiana": "2", "DisturbiAreaCognitiva": "1",
        "DisturbiComportamentali": "1", "NecessitaCureSanitarie": "2", "AreaReddituale": "2",
        "AreaSupporto": "2", "FonteDerivazioneValutazione": "2", "StrumentoValutazione": "1"}


def add_social_demo(portal, registry, demo_password):
    """Idempotent: nothing is added twice. Returns the staff's demo logins."""
    users = portal["utenti"]
    district = portal["ambiti"][DISTRICT]
    for login, title, role_name, where, groups, code in STAFF:
        if login not in users:
            user = User(title=title, email=f"{login}@example.it", fiscal_code=code,
                        groups=tuple(groups), creator="admin")
            user.set_password(demo_password(login))
            users.add(login, user, registry=registry)
            set_local_roles(district[where], "user:" + login, {role_name})
    logins = [(login, demo_password(login), title) for login, title, *_ in STAFF]
    if people.find_person(portal, ELDER_CODE) is None:
        _add_people(portal, registry, district)
    return logins


def _add_people(portal, registry, district):
    today = rome_today()
    marco = people.register_person(portal, {
        "fiscal_code": CITIZEN_CODE, "first_name": "Marco", "last_name": "Conte",
        "address": {**BARI, "street": "Via Melo 12"}, "email": "cittadino@example.it",
    }, "comune-bari", registry)
    son = people.register_person(portal, {
        "fiscal_code": SON_CODE, "first_name": "Luca", "last_name": "Conte",
        "address": {**BARI, "street": "Via Melo 12"},
    }, "comune-bari", registry)
    household = people.create_household(marco, "comune-bari", registry)
    people.add_member(household, son, "child", registry)
    elder = people.register_person(portal, {
        "fiscal_code": ELDER_CODE, "first_name": "Giovanni", "last_name": "Greco",
        "address": {**BARI, "street": "Via Sparano 140"}, "phone": "080 1234567",
    }, "comune-bari", registry)
    people.create_household(elder, "comune-bari", registry)
    people.record_contact(elder, "comune-bari", "La figlia, Anna Greco",
                          "Aiuto in casa per il padre, che non riesce più a uscire da solo.",
                          "Fissato un colloquio con l'assistente sociale.",
                          outcome="invio al servizio sociale professionale")
    case = cases.open_case(elder, MANAGER, registry, office=CASE_OFFICE)
    case.assessment = {"day": today - timedelta(days=20), "who": MANAGER, "dependent": True,
                       "summary": "Vive solo, parzialmente dipendente nelle attività "
                                  "quotidiane; la figlia lo aiuta due volte a settimana.",
                       "sina": {**SINA, "needs": ("A1.04",), "invalidity": ("1",)}}
    cases.take_charge(case, MANAGER, MANAGER, area="ELD", registry=registry)
    case.pai = {"goals": "Restare a casa propria in sicurezza.",
                "interventions": ({"what": "Assistenza domiciliare 20 ore al mese",
                                   "who": "Comune di Bari"},),
                "responsible": MANAGER,
                "reviews": (today + timedelta(days=60),), "done_reviews": ()}
    cases.add_note(case, MANAGER, "Primo colloquio a domicilio con la figlia: casa adeguata, "
                   "serve aiuto per igiene personale e spesa.", registry=registry)
    start = today.replace(day=1)
    grant.grant(district, elder, {
        "siuss_code": "A1.04", "source": "home_care", "start": start,
        "end": date(start.year + 1, start.month, 1) - timedelta(days=1),
        "monthly_amount": "400.00", "public_share": "360.00", "user_share": "40.00",
        "hours_monthly": 20, "means_test": "4", "protocol": f"{start.year}/SAD-0001",
        "granted_by": "Comune di Bari",
    }, "comune-bari", registry, municipality="072006")
