"""The social register at the Region's scale, for ``bench/cases.py``: seeded, built by the core.

People, households, benefits and case files go through the services a view calls
(``portal.people.store``, ``portal.register.grant``, ``portal.cases.store``) with the app's
registry, so the catalog, the social index and the subscribers do their real work; the
transaction is committed every ``BATCH`` objects, as an import script would.
"""
import random
import re
from datetime import date, timedelta

from _common import log

BATCH = 2_000
#: people, households, benefits at --scale 1 (issue 16's benchmark)
PEOPLE, HOUSEHOLDS, BENEFITS = 100_000, 40_000, 300_000
ATS = 45
LARGEST = "ba-01"
LARGEST_SHARE = 0.08
#: household sizes 1–5 and their weights (mean 2.5: 100,000 people in about 40,000 households)
SIZES, SIZE_WEIGHTS = (1, 2, 3, 4, 5), (30, 25, 20, 15, 10)
#: share of people with a case file, and of those taken in charge
CASE_SHARE, IN_CHARGE_SHARE = 0.04, 0.75
#: share of benefits granted by another ATS than the person's (moved, or a provider elsewhere)
ELSEWHERE_SHARE = 0.05
#: share of people whose citizen account exists before the registry knows them (linked on
#: registration: ``portal.people.accounts``)
ACCOUNT_SHARE = 0.02
#: share of households whose head's ISEE of this year is known (typed at the desk: ``set_isee``)
ISEE_SHARE = 0.35
#: share of people not in charge who still get a benefit that needs taking charge: the
#: export leaves them out and reports them (its error report at scale)
UNCHECKED_SHARE = 0.02
CANCELLED_SHARE = 0.01
MUNICIPALITIES_PER_ATS = 4
INHABITANTS = (40_000, 25_000, 15_000, 8_000)
SURNAMES = ("Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno "
            "Gallo Conti De Luca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri "
            "Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone Longo "
            "Gentile Martinelli Vitale Lombardo Serra Coppola De Santis D'Angelo Marchetti "
            "Parisi Villa Conte Ferraro Ferri Fabbri Bianco Marini Grasso Valentini Messina "
            "Sala De Angelis Gatti Pellegrini Palumbo Sanna Farina Rizzi Monti Cattaneo").split()
NAMES = ("Giuseppe Giovanni Antonio Mario Luigi Francesco Angelo Vincenzo Pietro Salvatore "
         "Carlo Franco Domenico Bruno Paolo Michele Giorgio Aldo Sergio Luciano Maria Anna "
         "Giuseppina Rosa Angela Giovanna Teresa Lucia Carmela Caterina Francesca Antonietta "
         "Carla Elena Concetta Rita Margherita Franca Paola Sofia Giulia Aurora Alice "
         "Ginevra Emma Giorgia Leonardo Alessandro Lorenzo Mattia Andrea Gabriele").split()
FEMALE = tuple(n for n in NAMES if n.endswith("a") and n != "Andrea")
MALE = tuple(n for n in NAMES if n not in FEMALE)
RELATIONS = ("spouse", "child", "child", "child", "parent")
#: the demo's citizen («cittadino») gets benefits from two ATS: the file page's subject
CITIZEN_CODE = "CNTMRC85P09E506E"
CITIZEN_GRANTS = (("ba-01", "A1.03"), ("ba-01", "A2.01"), ("ba-01", "A1.07"),
                  ("ta-01", "A1.05"), ("ta-01", "A1.19"), ("ta-01", "A3.04"))
SINA = {"Mobilita": "2", "AttivitaVitaQuotidiana": "2", "DisturbiAreaCognitiva": "1",
        "DisturbiComportamentali": "1", "NecessitaCureSanitarie": "2", "AreaReddituale": "2",
        "AreaSupporto": "2", "FonteDerivazioneValutazione": "2", "StrumentoValutazione": "1"}
#: birth days from 1 January 1935 (to September 2026); 7919 is prime to it
BIRTH_DAYS = 33_500
AREAS = ("FAM", "DIS", "ELD", "POV", "IMMNOM", "ADD", "MULBEN")
VOWELS = set("AEIOU")


def name_letters(value, first=False):
    """The three letters of a surname (or, ``first``, of a name) in a codice fiscale."""
    letters = [c for c in value.upper() if c.isalpha()]
    consonants = [c for c in letters if c not in VOWELS]
    vowels = [c for c in letters if c in VOWELS]
    if first and len(consonants) >= 4:
        consonants = [consonants[0], consonants[2], consonants[3]]
    return "".join(consonants + vowels + ["X"] * 3)[:3]


def cadastral(index):
    """A synthetic 4-character Belfiore code, unique per bench municipality (M500…)."""
    return f"M{500 + index:03d}"


class Batches:
    """Commit every ``size`` objects added (and count them)."""

    def __init__(self, portal, size=BATCH):
        self.manager = portal._p_jar.transaction_manager
        self.size, self.pending, self.total = size, 0, 0

    def added(self, count=1):
        self.pending += count
        self.total += count
        if self.pending >= self.size:
            self.commit()

    def commit(self):
        self.manager.commit()
        self.manager.begin()
        self.pending = 0


class Plan:
    """How many of each, where, from ``--scale``: deterministic for a seed."""

    def __init__(self, scale, seed=16):
        self.scale = scale
        self.rnd = random.Random(seed)
        self.people = max(50, round(PEOPLE * scale))
        self.households = max(20, round(HOUSEHOLDS * scale))
        self.benefits = max(150, round(BENEFITS * scale))

    def people_per_ats(self, codes):
        """The largest ATS (BA-01) has 8 % of the people, the others share the rest."""
        rest = [c for c in codes if c != LARGEST]
        largest = round(self.people * LARGEST_SHARE)
        each, extra = divmod(self.people - largest, len(rest))
        counts = {LARGEST: largest}
        for n, code in enumerate(rest):
            counts[code] = each + (1 if n < extra else 0)
        return counts

    def household_sizes(self, people):
        """Sizes 1–5 summing to ``people`` (the last one trimmed)."""
        sizes, left = [], people
        while left > 0:
            size = min(left, self.rnd.choices(SIZES, SIZE_WEIGHTS)[0])
            sizes.append(size)
            left -= size
        return sizes

    def benefit_counts(self, people):
        """How many benefits each person has: ``self.benefits`` in all, 1–6 each."""
        base, extra = divmod(self.benefits, people)
        counts = [base + (1 if n < extra else 0) for n in range(people)]
        for _ in range(people // 2):
            a, b = self.rnd.randrange(people), self.rnd.randrange(people)
            if counts[a] < 6 and counts[b] > 1:
                counts[a] += 1
                counts[b] -= 1
        return counts


def add_districts(portal, registry):
    """The demo's three ATS and 42 more (``BA-02``, ``BR-01``, …), four municipalities each."""
    from payments import ats_codes

    from content_types.district import District, Municipality

    ambiti = portal["ambiti"]
    for index, code in enumerate(ats_codes(ATS)):
        name = code.lower()
        if name in ambiti:
            continue
        district = District(title=f"Ambito territoriale {code}", code=code,
                            lead_municipality=f"Comune 1 di {code}", creator="admin")
        ambiti.add(name, district, registry=registry)
        for number, people in enumerate(INHABITANTS, start=1):
            serial = index * MUNICIPALITIES_PER_ATS + number - 1
            district.add(f"comune-{number}", Municipality(
                title=f"Comune {number} di {code}", istat_code=f"{900 + index:03d}{number:03d}",
                cadastral_code=cadastral(serial), province=code[:2], inhabitants=people,
                creator="admin"), registry=registry)
    return {d.__name__: d for d in ambiti.values() if isinstance(d, District)}


def municipalities_of(district):
    from content_types.district import Municipality

    return [m for m in district.values() if isinstance(m, Municipality)]


def region_of(municipality):
    return "16"  # Puglia


def add_people(portal, registry, plan, districts, batches):
    """People and households, ATS by ATS; returns {ats name: [(person, istat), …]}."""
    from portal.demo.ids import fiscal_code
    from portal.people import store as people
    from portal.people.rules.households import HEAD

    rnd = plan.rnd
    counts = plan.people_per_ats(sorted(districts))
    places = [cadastral(n) for n in range(ATS * MUNICIPALITIES_PER_ATS)]
    serial, found = 0, {}
    born_from = date(1935, 1, 1)
    for name in sorted(districts):
        district = districts[name]
        towns = municipalities_of(district)
        weights = [max(1, t.inhabitants or 1) for t in towns]
        shares = [round(counts[name] * w / sum(weights)) for w in weights]
        shares[0] += counts[name] - sum(shares)
        found[name] = []
        for town, share in zip(towns, shares, strict=True):
            for size in plan.household_sizes(share):
                members = []
                surname = rnd.choice(SURNAMES)
                for _ in range(size):
                    female = bool(serial % 2)
                    first = rnd.choice(FEMALE if female else MALE)
                    # unique by construction: sex × day × birth place from the serial (the
                    # days a permutation of BIRTH_DAYS, so every ATS has every age)
                    day = born_from + timedelta(days=serial // 2 * 7919 % BIRTH_DAYS)
                    place = places[(serial // (2 * BIRTH_DAYS)) % len(places)]
                    code = fiscal_code(name_letters(surname), name_letters(first, True), day,
                                       female=female, place=place)
                    serial += 1
                    if people.find_person(portal, code) is not None:
                        continue  # a second build over the same database
                    if rnd.random() < ACCOUNT_SHARE:
                        add_account(portal, registry, f"cittadino-{serial}", code,
                                    f"{first} {surname}")
                        batches.added()
                    person = people.register_person(portal, {
                        "fiscal_code": code, "first_name": first, "last_name": surname,
                        "address": {"kind": "residence", "istat": town.istat_code,
                                    "region": region_of(town),
                                    "street": f"Via {rnd.choice(SURNAMES)} {rnd.randint(1, 200)}"},
                    }, "bench", registry)
                    members.append(person)
                    found[name].append((person, town.istat_code))
                    batches.added()
                if not members:
                    continue
                household = people.create_household(members[0], "bench", registry)
                for n, member in enumerate(members[1:]):
                    relation = "spouse" if n == 0 else RELATIONS[1 + (n % 3)]
                    people.add_member(household, member, relation, registry)
                if rnd.random() < ISEE_SHARE:
                    people.set_isee(members[0], current_isee(rnd, serial), registry)
                batches.added()
        log(f"  {name}: {len(found[name])} people")
    assert HEAD
    return found


def add_account(portal, registry, login, code, title):
    """A citizen's account (SPID: no password) with this codice fiscale."""
    from content_types.security import CITIZEN
    from content_types.users import User

    portal["utenti"].add(login, User(title=title, email=f"{login}@example.it", fiscal_code=code,
                                     roles=(CITIZEN,), creator="admin"), registry=registry)


def current_isee(rnd, serial):
    """An ISEE of this year, valid today (a DSU lasts until 31 December)."""
    from content_types.values import rome_today

    year = rome_today().year
    return {"protocol": f"INPS-ISEE-{year}-{serial % 10**8:08d}P-00", "year": year,
            "dsu_date": date(year, 1, 20), "valid_until": date(year, 12, 31),
            "value": f"{rnd.randint(1500, 45000)}.00", "kind": "ordinario"}


def choose_cases(plan, people_by_ats):
    """{fiscal code: taken in charge?} of the people with a case file (before their benefits:
    the benefits that need taking charge go to them)."""
    rnd = random.Random(plan.rnd.random())
    chosen = {}
    for name in sorted(people_by_ats):
        for person, _istat in people_by_ats[name]:
            if rnd.random() < CASE_SHARE:
                chosen[person.fiscal_code] = rnd.random() < IN_CHARGE_SHARE
    return chosen


def _services(registry):
    """{service: [codes]} from the loaded SIUSS table (never hard-coded; placeholders left out)."""
    from portal.register import codes

    by_service = {}
    for code in codes.table_for(registry).values():
        if re.fullmatch(r"A\d\.\d\d", code.code):
            by_service.setdefault(code.service, []).append(code)
    return by_service


def benefit_data(rnd, code, year, serial):
    """One benefit's form values in ``year`` (10 % begin in the year before)."""
    first_month = rnd.randint(1, 12)
    start_year = year - 1 if rnd.random() < 0.1 else year
    start = date(start_year, first_month, 1)
    months = rnd.randint(1, 12)
    end_month = first_month + months - 1
    end = date(start_year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    end = (end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if not code.periodic:
        start = start + timedelta(days=rnd.randint(0, 27))
    monthly = rnd.randint(50, 800)
    user = round(monthly * rnd.choice((0, 0, 0.1, 0.2)))
    data = {"siuss_code": code.code, "start": start, "end": end if code.periodic else None,
            "protocol": f"{start.year}/B-{serial:07d}",
            "source": ("contribution" if code.service == "INCOME" else
                       "home_care" if code.service in ("HOMECARE", "HOMEHEALTH") else "other")}
    if code.periodic:
        data.update(monthly_amount=f"{monthly}.00", public_share=f"{monthly - user}.00",
                    user_share=f"{user}.00")
    else:
        data.update(amount=f"{monthly * 3}.00", public_share=f"{monthly * 3}.00")
    if code.service in ("HOMECARE", "HOMEHEALTH"):
        data["hours_monthly"] = rnd.randint(4, 60)
    if rnd.random() < 0.4:
        data["means_test"] = "1"
        data["isee"] = {"protocol": f"INPS-ISEE-{start.year}-{serial % 10**8:08d}K-00",
                        "year": start.year, "dsu_date": date(start.year, 1, 15),
                        "value": f"{rnd.randint(1000, 40000)}.00", "kind": "ordinario",
                        "valid_until": date(start.year, 12, 31)}
    else:
        data["means_test"] = rnd.choice(("2", "4", "4"))
    return data


def add_benefits(portal, registry, plan, districts, people_by_ats, year, batches, care):
    """``plan.benefits`` benefits, distinct categories per person (no duplicate to override);
    the codes that need taking charge go to the people in charge (``care``), bar a few."""
    from portal.register import grant

    rnd = plan.rnd
    by_service = _services(registry)
    services = sorted(by_service)
    everyone = [(name, person, istat) for name in sorted(people_by_ats)
                for person, istat in people_by_ats[name]]
    counts = plan.benefit_counts(len(everyone))
    names = sorted(districts)
    serial = cancelled = 0
    for (home, person, istat), count in zip(everyone, counts, strict=True):
        in_charge = care.get(person.fiscal_code) or rnd.random() < UNCHECKED_SHARE
        for service in rnd.sample(services, min(count, len(services))):
            choices = [c for c in by_service[service] if in_charge or not c.needs_taking_charge]
            code = rnd.choice(choices or by_service[service])
            elsewhere = rnd.random() < ELSEWHERE_SHARE
            where = districts[rnd.choice(names) if elsewhere else home]
            serial += 1
            benefit = grant.grant(where, person, benefit_data(rnd, code, year, serial), "bench",
                                  registry, municipality="" if elsewhere else istat)
            if rnd.random() < CANCELLED_SHARE:
                grant.change_status(benefit, "cancel", "bench", "Concessa per errore.", registry)
                cancelled += 1
            batches.added()
            if serial % 50_000 == 0:
                log(f"  {serial} benefits")
    return serial, cancelled


def add_citizen_benefits(portal, registry, districts, year, batches):
    """The demo citizen's benefits from BA-01 and TA-01 (this year and ``year``)."""
    from portal.people import store as people
    from portal.register import codes, grant

    person = people.find_person(portal, CITIZEN_CODE)
    if person is None:
        raise SystemExit("the demo citizen is not in the social registry")
    rnd = random.Random(CITIZEN_CODE)
    for n, (name, value) in enumerate(CITIZEN_GRANTS):
        code = codes.code(registry, value)
        data = benefit_data(rnd, code, year + n % 2, 9_000_000 + n)
        grant.grant(districts[name], person, data, "bench", registry, reason="Verificato.")
        batches.added()
    return len(CITIZEN_GRANTS)


def add_cases(portal, registry, plan, people_by_ats, batches, care):
    """The case files ``care`` names, taken in charge when it says so (SINA for DIS/ELD)."""
    from content_types.values import rome_today
    from portal.cases import store as cases

    rnd = plan.rnd
    opened = in_charge = 0
    for name in sorted(people_by_ats):
        manager, office = f"as-{name}", f"ss-{name}"
        for person, _istat in people_by_ats[name]:
            if person.fiscal_code not in care:
                continue
            case = cases.open_case(person, manager, registry, office=office)
            opened += 1
            if care[person.fiscal_code]:
                area = rnd.choice(AREAS)
                if area in ("DIS", "ELD"):
                    case.assessment = {"day": rome_today() - timedelta(days=30), "who": manager,
                                       "dependent": True, "summary": "Valutazione.",
                                       "sina": {**SINA, "needs": ("A1.04",),
                                                "invalidity": ("1",)}}
                cases.take_charge(case, manager, manager, area=area, registry=registry)
                in_charge += 1
            batches.added()
    return opened, in_charge


def store_index(portal):
    from portal.people import store

    return store.index(portal)
