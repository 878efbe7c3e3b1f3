"""Automatic eligibility checks from a call's rules (data), each failure explained in Italian.

``check`` never stops at the first problem: the family sees every reason at once.
"""
from dataclasses import dataclass
from datetime import date

from content_types.values import euro, to_decimal
from portal.applications.rules import fiscal
from portal.applications.rules.errors import InvalidFiscalCode, InvalidRules, NotEligible
from portal.applications.rules.isee import ISEE_TYPES, IseeAttestation
from portal.i18n import _, joined

#: target -> (Italian title, default minimum age in months (inclusive), maximum (exclusive))
TARGETS = {
    "children_0_36": (_("Bambini da 0 a 36 mesi"), 0, 36),
    "minors_3_17": (_("Minori da 3 a 17 anni"), 36, 216),
    "elderly": (_("Anziani over 65"), 780, None),
    "disability": (_("Persone con disabilità"), 0, None),
}


@dataclass(frozen=True)
class Failure:
    """One reason (or warning): ``code`` for machines, ``message`` in Italian, form ``field``."""

    code: str
    message: str
    field: str = None


@dataclass(frozen=True)
class Rules:
    """Eligibility rules of a call."""

    target: str
    isee_types: tuple
    isee_max: object  # Decimal
    age_min_months: int = None
    age_max_months: int = None  # exclusive: 36 means "under 3 years"
    restricted_isee_max: object = None  # socio-sanitario (nucleo ristretto) threshold
    residence_region: str = None  # ISTAT code of the region, e.g. "16" (Puglia)
    disability_required: bool = False
    reject_discrepancies: bool = False
    age_reference: date = None  # None: the submission date
    service_types: tuple = None  # catalogue service type codes covered; None: not checked

    @classmethod
    def from_data(cls, data):
        data = dict(data or {})
        target = data.get("target")
        if target not in TARGETS:
            raise InvalidRules(_("Destinatari dell'avviso sconosciuti: «${target}».",
                                 mapping={"target": target}))
        low, high = TARGETS[target][1:]
        types = tuple(data.get("isee_types") or ())
        unknown = [t for t in types if t not in ISEE_TYPES]
        if not types or unknown:
            raise InvalidRules(_("Indicare i tipi di ISEE ammessi tra: ${allowed}",
                                 mapping={"allowed": ", ".join(ISEE_TYPES)}))
        if data.get("isee_max") in (None, ""):
            raise InvalidRules(_("Manca la soglia ISEE dell'avviso."))
        restricted = data.get("restricted_isee_max")
        reference = data.get("age_reference")
        services = data.get("service_types")
        return cls(
            target=target, isee_types=types, isee_max=to_decimal(data["isee_max"]),
            age_min_months=data.get("age_min_months", low),
            age_max_months=data.get("age_max_months", high),
            restricted_isee_max=None if restricted in (None, "") else to_decimal(restricted),
            residence_region=data.get("residence_region") or None,
            disability_required=bool(data.get("disability_required", target == "disability")),
            reject_discrepancies=bool(data.get("reject_discrepancies", False)),
            age_reference=date.fromisoformat(reference) if isinstance(reference, str) else reference,
            service_types=None if services is None else tuple(services),
        )

    def to_data(self):
        return {
            "target": self.target, "isee_types": list(self.isee_types),
            "isee_max": str(self.isee_max), "age_min_months": self.age_min_months,
            "age_max_months": self.age_max_months,
            "restricted_isee_max": None if self.restricted_isee_max is None
            else str(self.restricted_isee_max),
            "residence_region": self.residence_region,
            "disability_required": self.disability_required,
            "reject_discrepancies": self.reject_discrepancies,
            "age_reference": self.age_reference.isoformat() if self.age_reference else None,
            "service_types": None if self.service_types is None else list(self.service_types),
        }


@dataclass(frozen=True)
class Service:
    """The chosen catalogue entry as the checks see it: its type and the ages it takes in."""

    type_code: str
    title: str  # the service type, in Italian
    age_min_months: int
    age_max_months: int  # inclusive, as the catalogue shows it ("da 3 a 36 mesi")

    def accepts(self, age):
        return self.age_min_months <= age <= self.age_max_months


@dataclass(frozen=True)
class Facts:
    """What the checks look at, taken from the application and the ISEE provider."""

    beneficiary_fiscal_code: str
    isee: IseeAttestation = None
    beneficiary_birth_date: date = None  # declared; must agree with the code
    residence_region: str = None
    residence_municipality: str = None  # ISTAT code
    district_municipalities: frozenset = None  # ISTAT codes of the ATS; None = not checked
    disability_certified: bool = False
    applicant_fiscal_code: str = None
    service: Service = None  # the chosen catalogue entry; None = not chosen yet


@dataclass(frozen=True)
class Result:
    failures: tuple = ()
    warnings: tuple = ()
    age_months: int = None

    @property
    def eligible(self):
        return not self.failures

    def raise_if_failed(self):
        if self.failures:
            count = len(self.failures)
            head = (_("La domanda non rispetta un requisito dell'avviso:") if count == 1 else
                    _("La domanda non rispetta ${count} requisiti dell'avviso:",
                      mapping={"count": count}))
            raise NotEligible(joined([head, *(f.message for f in self.failures)]), self.failures)
        return self


def age_in_months(born, on):
    months = (on.year - born.year) * 12 + on.month - born.month
    if on.day < born.day:
        months -= 1
    return months


def beneficiary_age(rules, fiscal_code, on, birth_date=None):
    """The beneficiary's age in months at the call's reference date, or None if not known."""
    reference = rules.age_reference or on
    try:
        born = (fiscal.check_birth_date(fiscal_code, birth_date) if birth_date is not None
                else fiscal.birth_date(fiscal_code, on=reference))
    except InvalidFiscalCode:
        return None
    return age_in_months(born, reference)


def describe_age(months):
    """«2 anni e 3 mesi»: a message, so a page shows it in the reader's language."""
    years, rest = divmod(months, 12)
    year_text = _("1 anno") if years == 1 else _("${n} anni", mapping={"n": years})
    month_text = _("1 mese") if rest == 1 else _("${n} mesi", mapping={"n": rest})
    if years and rest:
        return _("${years} e ${months}", mapping={"years": year_text, "months": month_text})
    return year_text if years else month_text


def describe_range(low, high):
    """«almeno 3 anni e meno di 6 anni» for a call's age limits (a message)."""
    if high is None:
        return _("almeno ${age}", mapping={"age": describe_age(low)})
    if not low:
        return _("meno di ${age}", mapping={"age": describe_age(high)})
    return _("almeno ${low} e meno di ${high}",
             mapping={"low": describe_age(low), "high": describe_age(high)})


def describe_span(low, high):
    """An entry's inclusive age range: «da 3 a 36 mesi», «da 65 a 120 anni»."""
    if high <= 36:
        return f"da {low} a {high} mesi"
    if low % 12 == 0 and high % 12 == 0:
        return f"da {low // 12} a {high // 12} anni"
    return f"da {describe_age(low)} a {describe_age(high)}"


def describe_months(age):
    """A beneficiary's age as a family reads it: months for small children, then years."""
    if age < 36:
        return "1 mese" if age == 1 else f"{age} mesi"
    return describe_age(age)


def service_failures(rules, service, age, reference):
    """Why ``service`` does not fit the call or a beneficiary of ``age`` months on ``reference``."""
    failures = []
    if rules.service_types is not None and service.type_code not in rules.service_types:
        failures.append(Failure(
            "service_not_covered",
            f"Il servizio scelto ({service.title}) non è tra i servizi finanziati da questo "
            "avviso: scegliere un servizio adatto ai destinatari del bando.",
            "catalogue_entry_path"))
    if age is not None and age >= 0 and not service.accepts(age):
        failures.append(Failure(
            "service_age_out_of_range",
            f"Il servizio scelto ({service.title}) accoglie utenti "
            f"{describe_span(service.age_min_months, service.age_max_months)}: il beneficiario "
            f"avrà {describe_months(age)} alla data di riferimento del bando "
            f"({reference:%d/%m/%Y}).", "catalogue_entry_path"))
    return failures


def service_fits(rules, service, age, reference):
    """Whether the form may offer ``service`` (``age`` None: the age is not known yet)."""
    return not service_failures(rules, service, age, reference)


def check(rules, facts, on):
    """Every failed requirement (and warning) for ``facts`` on the day ``on``."""
    failures, warnings = [], []
    age = None
    for label, value, name in (("del beneficiario", facts.beneficiary_fiscal_code,
                                "beneficiary_fiscal_code"),
                               ("del richiedente", facts.applicant_fiscal_code,
                                "applicant_fiscal_code")):
        if value is None and name == "applicant_fiscal_code":
            continue
        try:
            fiscal.validate(value, f"codice fiscale {label}")
        except InvalidFiscalCode as exc:
            # a failure's message is plain Italian text: it is stored with the application
            failures.append(Failure("invalid_fiscal_code", str(exc.message), name))
    code_ok = not any(f.field == "beneficiary_fiscal_code" for f in failures)

    reference = rules.age_reference or on
    if code_ok:
        born = None
        if facts.beneficiary_birth_date is not None:
            try:
                born = fiscal.check_birth_date(facts.beneficiary_fiscal_code,
                                               facts.beneficiary_birth_date)
            except InvalidFiscalCode as exc:
                failures.append(Failure("birth_date_mismatch", str(exc.message),
                                        "beneficiary_birth_date"))
        else:
            born = fiscal.birth_date(facts.beneficiary_fiscal_code, on=reference)
        if born is not None:
            age = age_in_months(born, reference)
            low, high = rules.age_min_months, rules.age_max_months
            if age < 0 or (low is not None and age < low) or (high is not None and age >= high):
                shown = "non ancora nato" if age < 0 else f"ha {describe_age(age)}"
                failures.append(Failure(
                    "age_out_of_range",
                    f"Il beneficiario (nato il {born:%d/%m/%Y}) {shown} al "
                    f"{reference:%d/%m/%Y}; l'avviso è riservato a chi ha "
                    f"{describe_range(low or 0, high)}.", "beneficiary_fiscal_code"))

    if facts.service is not None:
        failures.extend(service_failures(rules, facts.service, age, reference))

    isee = facts.isee
    if isee is None:
        failures.append(Failure("isee_missing",
                                "Manca l'attestazione ISEE: senza ISEE la domanda non può "
                                "essere valutata.", "isee"))
    else:
        type_title = ISEE_TYPES.get(isee.isee_type, isee.isee_type)
        if isee.isee_type not in rules.isee_types:
            wanted = " oppure ".join(ISEE_TYPES[t] for t in rules.isee_types)
            failures.append(Failure(
                "isee_wrong_type",
                f"È stato indicato un {type_title}; l'avviso richiede {wanted}.", "isee"))
        threshold = (rules.restricted_isee_max
                     if isee.isee_type == "socio_sanitario" and rules.restricted_isee_max
                     is not None else rules.isee_max)
        if isee.value > threshold:
            failures.append(Failure(
                "isee_over_threshold",
                f"L'ISEE di {euro(isee.value)} supera la soglia di {euro(threshold)} "
                "prevista dall'avviso.", "isee"))
        if on > isee.valid_until:
            failures.append(Failure(
                "isee_expired",
                f"L'attestazione ISEE (DSU presentata il {isee.dsu_date:%d/%m/%Y}) è scaduta "
                f"il {isee.valid_until:%d/%m/%Y}: occorre una DSU presentata nel {on.year}.",
                "isee"))
        elif on < isee.dsu_date:
            failures.append(Failure(
                "isee_future",
                f"La DSU risulta presentata il {isee.dsu_date:%d/%m/%Y}, dopo la data della "
                "domanda: verificare la data.", "isee"))
        if isee.discrepancies:
            item = Failure("isee_discrepancies",
                           "L'attestazione ISEE riporta omissioni o difformità.", "isee")
            (failures if rules.reject_discrepancies else warnings).append(item)
        if isee.needs_check:
            warnings.append(Failure("isee_manual",
                                    "ISEE inserito manualmente: da verificare con l'attestazione "
                                    "allegata.", "isee"))
        warnings.extend(Failure("isee_protocol_format", text, "isee") for text in isee.warnings)
        if code_ok and isee.fiscal_code != fiscal.normalize(facts.beneficiary_fiscal_code) and (
                facts.applicant_fiscal_code is None
                or isee.fiscal_code != fiscal.normalize(facts.applicant_fiscal_code)):
            failures.append(Failure(
                "isee_other_person",
                f"L'attestazione ISEE indicata è intestata a {isee.fiscal_code}, non al "
                "beneficiario né al richiedente.", "isee"))

    if rules.residence_region and facts.residence_region != rules.residence_region:
        failures.append(Failure(
            "residence_outside_region",
            "Il beneficiario deve risiedere nella Regione che ha pubblicato l'avviso "
            f"(codice ISTAT {rules.residence_region}); la residenza indicata è fuori regione.",
            "residence_municipality"))
    if (facts.district_municipalities is not None
            and facts.residence_municipality not in facts.district_municipalities):
        failures.append(Failure(
            "residence_outside_district",
            "Il comune di residenza indicato non appartiene a questo Ambito territoriale: "
            "la domanda va presentata nell'Ambito del proprio comune.", "residence_municipality"))
    if rules.disability_required and not facts.disability_certified:
        failures.append(Failure(
            "disability_not_certified",
            "L'avviso richiede una disabilità certificata del beneficiario.",
            "disability_certified"))
    return Result(tuple(failures), tuple(warnings), age)
