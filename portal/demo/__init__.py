"""Demo data for development: Regione Puglia, three ATS, providers, one user per role."""
from content_types.district import District, Municipality
from content_types.page import Page
from content_types.provider import Provider
from content_types.security import (
    ADMIN,
    ATS_OFFICER,
    CITIZEN,
    EDITOR,
    PROVIDER,
    REGION_OFFICER,
    set_local_roles,
)
from content_types.users import User
from portal.demo.applications import add_applications_demo
from portal.demo.cycle import FAMILY_CODE, FAMILY_LOGIN, FAMILY_NAME, add_cycle_demo
from portal.demo.editorial import add_editorial_demo
from portal.demo.ids import vat
from portal.demo.plans import add_plans_demo
from portal.demo.providers import add_catalogue_demo
from portal.demo.social import add_social_demo

DISTRICTS = (
    ("ba-01", "Ambito territoriale di Bari", "BA-01", "Bari", (
        ("bari", "Bari", "072006", "A662", "BA", 316_000),
        ("modugno", "Modugno", "072027", "F262", "BA", 37_000),
    )),
    ("ta-01", "Ambito territoriale di Taranto", "TA-01", "Taranto", (
        ("taranto", "Taranto", "073027", "L049", "TA", 188_000),
        ("statte", "Statte", "073029", "M298", "TA", 13_500),
    )),
    ("le-03", "Ambito territoriale di Galatina", "LE-03", "Galatina", (
        ("galatina", "Galatina", "075029", "D862", "LE", 26_000),
        ("soleto", "Soleto", "075077", "I800", "LE", 5_400),
    )),
)

#: ISTAT code -> (latitude, longitude) of the town centre (WGS 84): public geographic facts,
#: where the map of needs draws each municipality
COORDINATES = {
    "072006": (41.1177, 16.8512), "072027": (41.0839, 16.7817),
    "073027": (40.4644, 17.2470), "073029": (40.5645, 17.2045),
    "075029": (40.1747, 18.1706), "075077": (40.1886, 18.2067),
}


PROVIDERS = (
    ("girasole", "Cooperativa sociale Il Girasole", vat(1234567), "girasole@pec.example.it",
     "Via Sparano 10, 70121 Bari"),
    ("arcobaleno", "Asilo nido L'Arcobaleno S.r.l.", vat(2345678), "arcobaleno@pec.example.it",
     "Via Dante 5, 74123 Taranto"),
    ("salento-cura", "Salento Cura Società Cooperativa", vat(3456789), "salentocura@pec.example.it",
     "Corso Garibaldi 22, 73013 Galatina"),
)

#: login, full name, global roles, (path, role) local grants, fiscal code
USERS = (
    ("admin", "Amministratore del portale", (ADMIN,), (), ""),
    ("regione", "Maria Rossi (Regione Puglia)", (REGION_OFFICER,), (), "RSSMRA88C52A662W"),
    ("rup-ba01", "Giuseppe Esposito (RUP Ambito BA-01)", (), (("ambiti/ba-01", ATS_OFFICER),),
     "SPSGPP46L21L049R"),
    ("girasole", "Anna Bianco (Il Girasole)", (), (("catalogo/girasole", PROVIDER),),
     "BNCNNA90A45D862T"),
    ("cittadino", "Marco Conte", (CITIZEN,), (), "CNTMRC85P09E506E"),
    # the family of the monthly cycle's demo: this month's attestation waits for it
    (FAMILY_LOGIN, FAMILY_NAME, (CITIZEN,), (), FAMILY_CODE),
    # a delegate acts only where a citizen's delegation grants the role locally
    ("caf", "CAF Puglia Servizi (operatore)", (), (), ""),
    ("redazione-regione", "Redazione della Regione Puglia", (), (("regione", EDITOR),), ""),
    ("redazione-ba01", "Redazione dell'Ambito BA-01", (), (("ambiti/ba-01", EDITOR),), ""),
)


def demo_password(login):
    return f"{login}-demo-2026"


def add_demo_data(portal, registry):
    """Idempotent: only what is missing is created. Returns the demo logins."""
    ambiti = portal["ambiti"]
    for name, title, code, lead, municipalities in DISTRICTS:
        if name not in ambiti:
            ambiti.add(name, District(title=title, code=code, lead_municipality=lead,
                                      creator="admin"), registry=registry)
        district = ambiti[name]
        for mname, mtitle, istat, belfiore, province, people in municipalities:
            if mname not in district:
                district.add(mname, Municipality(
                    title=mtitle, istat_code=istat, cadastral_code=belfiore,
                    province=province, inhabitants=people, creator="admin",
                    latitude=COORDINATES.get(istat, (None, None))[0],
                    longitude=COORDINATES.get(istat, (None, None))[1],
                ), registry=registry)
    catalogo = portal["catalogo"]
    for name, title, tax_code, pec, address in PROVIDERS:
        if name not in catalogo:
            catalogo.add(name, Provider(title=title, tax_code=tax_code, pec=pec,
                                        address=address, creator="admin"), registry=registry)
    docs = portal["documenti"]
    if "guida-buoni-servizio" not in docs:
        docs.add("guida-buoni-servizio", Page(
            title="Guida ai Buoni servizio",
            description="Come scegliere un servizio dal catalogo e presentare la domanda.",
            body=("I Buoni servizio coprono tutta o parte della retta di un servizio "
                  "scelto dal Catalogo dell'offerta.\n\nServe un'attestazione ISEE in "
                  "corso di validità."),
            creator="admin",
        ), registry=registry)
    users = portal["utenti"]
    logins = []
    for login, title, roles, grants, fiscal_code in USERS:
        if login not in users:
            user = User(title=title, email=f"{login}@example.it", fiscal_code=fiscal_code,
                        roles=tuple(roles), creator="admin")
            user.set_password(demo_password(login))
            users.add(login, user, registry=registry)
            for path, role_name in grants:
                obj = portal
                for part in path.split("/"):
                    obj = obj[part]
                set_local_roles(obj, "user:" + login, {role_name})
        logins.append((login, demo_password(login), title))
    add_catalogue_demo(portal, registry)  # needs the providers above
    add_applications_demo(portal, registry)
    add_cycle_demo(portal, registry)  # after the other call: it keeps the first protocols
    add_editorial_demo(portal, registry)  # after the call: service pages link to it
    add_plans_demo(portal, registry)  # after the cycle: BA-01's plan pays its vouchers
    # people, a case in care, the municipal operator and the social workers (printed too)
    logins += add_social_demo(portal, registry, demo_password)
    return logins
