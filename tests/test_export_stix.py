"""kg.export.stix: a STIX 2.1 bundle that the OASIS validator accepts, whose objects keep their
timestamps when an unrelated source is added, with STIX's own relationship types, incidents with
their dates and figures, and claims kept apart from facts."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import stix2
from conftest import DATA, SEEDS
from rdflib import RDF, Graph, URIRef
from stix2validator import ValidationOptions, validate_string

from kg.export.stix import EXTENSION, PRODUCER, PROPERTIES, Figure, relationship_type, stix_id, to_stix, totals
from kg.pipeline import compile_graph
from kg.vocab import ID, KG, STMT

S000 = "000_c8205b38d0f11d5b"
S902 = "902_00000000000000cc"
LEADS = f"{S000}.andrey-novikov.leads.cis-anti-terrorism-centre"
QUALIFIED = DATA / "qualified"


def _objects(data: bytes) -> dict[str, dict]:
    return {o["id"]: o for o in json.loads(data)["objects"]}


@pytest.fixture(scope="module")
def objects(files: dict[str, bytes]) -> dict[str, dict]:
    return _objects(files["graph.stix.json"])


@pytest.fixture(scope="module")
def qualified() -> dict[str, dict]:
    """The STIX objects of tests/data/qualified: subsets, seizures, suspicion, curator's knowledge."""
    return _objects(to_stix(compile_graph(QUALIFIED)))


def _refs(value: object) -> set[str]:
    """Every id a ``_ref``/``_refs`` property holds, at any depth."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("_ref"):
                found.add(item)
            elif key.endswith("_refs"):
                found.update(item)
            else:
                found |= _refs(item)
    elif isinstance(value, list):
        for item in value:
            found |= _refs(item)
    return found


# --- the tools accept it ---


def test_the_oasis_validator_finds_no_error_and_only_the_warnings_the_readme_lists(files: dict[str, bytes]) -> None:
    result = validate_string(files["graph.stix.json"].decode(), ValidationOptions(version="2.1", enforce_refs=True))
    assert (result.is_valid, [str(e) for e in result.errors]) == (True, [])
    codes = Counter(re.search(r"\{(\d+)\}", str(w)).group(1) for w in result.warnings)
    objects = json.loads(files["graph.stix.json"])["objects"]
    with_url = sum(len({r["source_name"] for r in o.get("external_references", ()) if "url" in r}) for o in objects)
    assert codes == {"103": len(objects) + 1, "302": with_url, "223": 1}  # UUIDv5 ids (and the bundle's)
    [region] = [str(w) for w in result.warnings if "{223}" in str(w)]
    assert region.startswith(stix_id("location", ID["afghanistan-tajikistan-border"]))
    fixture = validate_string(to_stix(compile_graph(QUALIFIED)).decode(), ValidationOptions(version="2.1"))
    assert (fixture.is_valid, [str(e) for e in fixture.errors]) == (True, [])  # subsets, seizures, disputes...


def test_stix_bundle_parses_and_every_reference_resolves(files: dict[str, bytes]) -> None:
    bundle = stix2.parse(files["graph.stix.json"].decode(), allow_custom=False)
    objects = json.loads(files["graph.stix.json"])["objects"]
    ids = [o["id"] for o in objects]
    assert len(bundle.objects) == len(objects) and ids == sorted(set(ids))
    assert _refs(objects) - set(ids) == set()  # x_kg_counts' party_ref and the like included
    assert {o["relationship_type"] for o in objects if o["type"] == "relationship"} == {
        "located-at",
        "related-to",
        "targets",
    }


def test_custom_properties_are_declared_by_the_extension(objects: dict[str, dict]) -> None:
    extension = objects[EXTENSION]
    assert extension["extension_types"] == ["toplevel-property-extension"]
    assert extension["extension_properties"] == sorted(PROPERTIES)
    assert objects[extension["created_by_ref"]]["name"] == "kg"
    standard = {"id", "type", "spec_version", "created", "modified", "extensions", "external_references"}
    for obj in objects.values():
        custom = {k for k in obj if k.startswith("x_") or (obj["type"] == "incident" and k.endswith("_seen"))}
        assert custom <= set(PROPERTIES), obj["id"]
        if custom:
            assert obj["extensions"] == {EXTENSION: {"extension_type": "toplevel-property-extension"}}
        assert not (custom & standard)


# --- timestamps: from each object's own data ---


def _extended(tmp_path: Path) -> Path:
    """The curated seeds plus the fictional qualified source, dated after every curated source
    (so timestamps taken from the newest source would all move), which also adds a fact about
    Tajikistan and disputes a claim of source 000."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    shutil.copy(QUALIFIED / "entities" / "registry.yaml", seeds / "entities" / "qualified.yaml")
    text = (QUALIFIED / "sources" / f"{S902}.yaml").read_text(encoding="utf-8")
    text = text.replace("date: 2021-05-06\n", "date: 2026-06-01\n", 1)
    text = text.replace("facts:\n", "facts:\n  - fact: red-hand targets tajikistan\n    para: 5\n", 1)
    text += (
        "  - id: official-doubts-sana\n"
        "    type: Assessment\n"
        "    by: unnamed-official\n"
        "    summary: The official doubts the agency's account of the airlift.\n"
        "    disputes: [sana-us-evacuated-is-leaders]\n"
        "    para: 4\n"
    )
    (seeds / "sources" / f"{S902}.yaml").write_text(text, encoding="utf-8")
    return seeds


def test_adding_a_source_changes_only_what_it_adds_to(
    objects: dict[str, dict], qualified: dict[str, dict], tmp_path: Path
) -> None:
    extended = _objects(to_stix(compile_graph(_extended(tmp_path))))
    dump = json.dumps
    changed = sorted(k for k, o in objects.items() if dump(extended[k], sort_keys=True) != dump(o, sort_keys=True))
    sana = stix_id("note", ID["sana-us-evacuated-is-leaders"])
    assert changed == [sana]  # the claim now disputed, and nothing else of the curated graph
    before, after = objects[sana], extended[sana]
    assert (before["created"], before["modified"]) == ("2018-01-01T00:00:00.000Z", "2018-01-01T00:00:00.000Z")
    assert (after["created"], after["modified"]) == ("2018-01-01T00:00:00.000Z", "2026-06-01T00:00:00.000Z")
    disputed_by = "Disputed by: an unnamed official: The official doubts the agency's account of the airlift."
    assert disputed_by not in before["content"] and disputed_by in after["content"].split("\n")
    new = extended[stix_id("relationship", STMT[f"{S902}.red-hand.targets.tajikistan"])]
    assert (new["relationship_type"], new["created"]) == ("targets", "2026-06-01T00:00:00.000Z")
    assert new["target_ref"] == stix_id("identity", ID["tajikistan"])
    doubt = stix_id("note", ID["official-doubts-sana"])
    assert set(extended) - set(objects) == (set(qualified) - {PRODUCER, EXTENSION}) | {new["id"], doubt}


def test_each_object_is_dated_by_the_source_it_rests_on(objects: dict[str, dict]) -> None:
    stamps = {(o["type"], o["created"], o["modified"]) for o in objects.values()}
    leads = objects[stix_id("relationship", STMT[LEADS])]
    assert (leads["created"], leads["modified"]) == ("2018-01-01T00:00:00.000Z", "2018-01-01T00:00:00.000Z")
    epoch = "1970-01-01T00:00:00.000Z"
    assert {(t, c, m) for t, c, m in stamps if t in ("threat-actor", "identity")} == {
        ("threat-actor", epoch, epoch),
        ("identity", epoch, epoch),
    }  # the registry has no date
    dushanbe = objects[stix_id("location", ID["dushanbe"])]  # its country comes from a fact of 000
    assert (dushanbe["country"], dushanbe["created"], dushanbe["modified"]) == (
        "TJ",
        epoch,
        "2018-01-01T00:00:00.000Z",
    )
    report = objects[stix_id("report", URIRef(f"https://w3id.org/kg-armed-actors/source/{S000}"))]
    assert (report["created"], report["modified"], report["published"]) == (
        "2018-01-01T00:00:00.000Z",
        "2018-01-01T00:00:00.000Z",
        "2018-01-01T00:00:00Z",
    )


# --- what each kind becomes ---


def test_stix_maps_each_kind(graph: Graph, objects: dict[str, dict]) -> None:
    by_type = Counter(o["type"] for o in objects.values())
    assert by_type["threat-actor"] == len(set(graph.subjects(RDF.type, KG.ArmedGroup)))
    assert by_type["note"] == len(set(graph.subjects(RDF.type, KG.Claim)))
    assert by_type["report"] == len(set(graph.subjects(RDF.type, KG.Source)))
    assert by_type["extension-definition"] == 1
    tajikistan = objects[stix_id("location", ID["tajikistan"])]
    assert (tajikistan["name"], tajikistan["country"]) == ("Tajikistan", "TJ")
    assert objects[stix_id("identity", ID["tajikistan"])]["identity_class"] == "organization"
    ttp = objects[stix_id("threat-actor", ID["ttp"])]
    assert "Pakistani Taliban" in ttp["aliases"]


def test_relationship_types_are_the_ones_stix_defines_between_the_two_types() -> None:
    assert relationship_type("basedIn", "threat-actor", "location") == "located-at"
    assert relationship_type("basedIn", "identity", "location") == "located-at"
    assert relationship_type("targets", "threat-actor", "identity") == "targets"
    assert relationship_type("locatedIn", "location", "location") == "related-to"  # no SRO from a location
    assert relationship_type("target", "incident", "identity") == "related-to"  # nor from an incident
    assert relationship_type("perpetrator", "incident", "threat-actor") == "related-to"
    assert relationship_type("alliedWith", "threat-actor", "threat-actor") == "related-to"


def test_stix_relationship_for_a_fact_has_the_right_ends(objects: dict[str, dict]) -> None:
    leads = objects[stix_id("relationship", STMT[LEADS])]
    assert (leads["relationship_type"], leads["x_kg_relation"], leads["source_ref"], leads["target_ref"]) == (
        "related-to",
        "leads",
        stix_id("identity", ID["andrey-novikov"]),
        stix_id("identity", ID["cis-anti-terrorism-centre"]),
    )
    assert leads["description"] == "Role: head. Holds the rank of colonel general."
    assert leads["external_references"] == [
        {
            "source_name": "kg-armed-actors",
            "external_id": f"{S000}-p6",
            "url": f"https://w3id.org/kg-armed-actors/source/{S000}-p6",
        }
    ]
    sputnik = objects[stix_id("relationship", STMT[f"{S000}.sputnik.basedIn.russia"])]
    assert (sputnik["relationship_type"], sputnik["x_kg_relation"], sputnik["target_ref"]) == (
        "located-at",
        "basedIn",
        stix_id("location", ID["russia"]),
    )
    base = objects[stix_id("relationship", STMT[f"{S000}.russia-201st-military-base.locatedIn.dushanbe"])]
    assert (base["relationship_type"], base["x_kg_relation"], base["source_ref"], base["target_ref"]) == (
        "related-to",
        "locatedIn",
        stix_id("location", ID["russia-201st-military-base"]),
        stix_id("location", ID["dushanbe"]),
    )
    kwan = objects[stix_id("relationship", STMT[f"{S000}.sergey-kwan.worksFor.kyrgyzstan-chronicle"])]
    assert (kwan["start_time"], kwan["stop_time"]) == ("1996-01-01T00:00:00Z", "1998-01-01T00:00:00Z")


def test_an_incident_carries_its_dates_and_figures(objects: dict[str, dict]) -> None:
    attack = objects[stix_id("incident", ID["ishkobod-attack"])]
    assert (attack["first_seen"], attack["last_seen"], attack["x_kg_date_precision"]) == (
        "2018-11-06T00:00:00.000Z",
        "2018-11-06T23:59:59.999Z",
        "day",
    )
    assert attack["x_kg_totals"] == [
        {"measure": "detained", "low": 4, "high": 5, "text": "4-5"},
        {"measure": "fighters", "low": 20, "high": 20, "text": "20"},
        {"measure": "killed", "low": 17, "high": 17, "text": "17"},  # not the subset of women among them
        {"measure": "seized", "item": "firearms", "low": 5, "high": 5, "text": "5"},
    ]
    assert attack["description"].endswith(
        "Figures: 4-5 detained: Tajik Border Service 5, Ministry of Internal Affairs of Tajikistan 4; 20 fighters;"
        " 17 killed: Tajik Border Service 15 (perpetrators, Ishkobod attackers), Tajik Border Service 1"
        " (targets, Tajik Border Service), Tajik Border Service 1 (responding forces, Ministry of Internal"
        " Affairs of Tajikistan); 5 seized (firearms)."
    )
    detained = [c for c in attack["x_kg_counts"] if c["measure"] == "detained"]
    assert [(c["reported_by"], c["value"], c["party_ref"]) for c in detained] == [
        ("Tajik Border Service", 5, stix_id("threat-actor", ID["ishkobod-attackers"])),
        ("Ministry of Internal Affairs of Tajikistan", 4, stix_id("threat-actor", ID["ishkobod-attackers"])),
    ]
    assert (attack["created"], attack["labels"]) == ("2018-11-01T00:00:00.000Z", ["attack"])


def test_stix_claims_are_notes_never_relationships(graph: Graph, objects: dict[str, dict]) -> None:
    contents = list(graph.objects(None, KG.asserts))
    assert not {stix_id("relationship", st) for st in contents} & set(objects)
    sana = objects[stix_id("note", ID["sana-us-evacuated-is-leaders"])]
    assert sana["labels"] == ["claim", "accusation", "disputed"]
    assert sana["authors"] == ["Syrian Arab News Agency"]
    assert sana["x_kg_claimant_refs"] == [stix_id("identity", ID["sana"])]
    assert "Asserts (a claim, not a fact): United States supports Islamic State." in sana["content"]
    assert stix_id("identity", ID["united-states"]) in sana["object_refs"]
    denial = objects[stix_id("note", ID["coalition-denies-evacuation"])]
    assert denial["object_refs"] == [sana["id"]]
    report = objects[stix_id("report", URIRef(f"https://w3id.org/kg-armed-actors/source/{S000}"))]
    assert {sana["id"], denial["id"], stix_id("relationship", STMT[LEADS])} <= set(report["object_refs"])


# --- the qualifiers of issue 13, on the fictional fixture ---


def test_a_subset_is_never_added_and_an_at_least_figure_shows_as_such(qualified: dict[str, dict]) -> None:
    attack = qualified[stix_id("incident", ID["ford-post-attack"])]
    assert attack["x_kg_totals"] == [
        {"measure": "killed", "low": 7, "high": 7, "at_least": True, "text": "≥7"},  # never 12
        {"measure": "seized", "item": "rifles", "low": 3, "high": 3, "text": "3"},
    ]
    assert attack["description"] == "Figures: ≥7 killed; 3 seized (rifles)."
    subset = attack["x_kg_counts"][1]
    assert (subset["subset"], subset["subset_of"], subset["value"]) == (True, f"{S902}.ford-post-attack.count1", 5)
    seizure = attack["x_kg_counts"][3]
    assert (seizure["taken_by_ref"], seizure["taken_from_ref"]) == (
        stix_id("threat-actor", ID["red-hand"]),
        stix_id("identity", ID["freeland-border-guard"]),
    )


def test_reporters_figures_are_a_range_and_suspicion_is_kept(qualified: dict[str, dict]) -> None:
    arrests = qualified[stix_id("incident", ID["ford-post-arrests"])]
    assert arrests["description"] == "Figures: 4-6 detained: Freeland police 4, Freeland Border Guard 6."
    assert [c["status"] for c in arrests["x_kg_counts"]] == ["suspected", "suspected"]
    target = qualified[stix_id("relationship", STMT[f"{S902}.ford-post-arrests.target.red-hand"])]
    assert (target["x_kg_relation"], target["x_kg_status"], target["description"]) == (
        "target",
        "suspected",
        "Status: suspected.",
    )


def test_a_disputed_event_and_an_unnamed_claimant(qualified: dict[str, dict]) -> None:
    attack = qualified[stix_id("incident", ID["ford-post-attack"])]
    denial = stix_id("note", ID["red-hand-denies-attack"])
    assert (attack["labels"], attack["x_kg_disputed_by_refs"]) == (["attack", "disputed"], [denial])
    assert qualified[denial]["object_refs"] == [attack["id"]]
    assert "Disputes: Night attack on the Ford Post" in qualified[denial]["content"]
    official = qualified[stix_id("identity", ID["unnamed-official"])]
    assert (official["name"], official["identity_class"]) == ("an unnamed official", "unknown")


def test_curator_knowledge_has_no_passage_and_says_why(qualified: dict[str, dict]) -> None:
    fact = qualified[stix_id("relationship", STMT[f"{S902}.ford-post.locatedIn.freeland"])]
    assert "external_references" not in fact
    assert fact["x_kg_curator_knowledge"] == "The curator knows the post is in Freeland; the text names the post only."
    assert fact["description"] == (
        "Curator's knowledge: The curator knows the post is in Freeland; the text names the post only."
    )
    assert (fact["created"], fact["modified"]) == ("1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00.000Z")


def test_totals_take_the_range_over_reporters_per_side_and_sum_over_sides() -> None:
    def count(n: int, **kw: object) -> Figure:
        return Figure(count=URIRef(f"urn:c{n}"), measure="killed", **kw)  # type: ignore[arg-type]

    guard, rebels = URIRef("urn:guard"), URIRef("urn:rebels")
    found = [
        count(1, side="targets", party=guard, value=4, reported_by=URIRef("urn:a")),
        count(2, side="targets", party=guard, value=5, reported_by=URIRef("urn:b")),
        count(3, side="perpetrators", party=rebels, minimum=2),
        count(4, side="perpetrators", party=rebels, value=1, subset=True),
    ]
    [total] = totals(found)
    assert (total.low, total.high, total.at_least, total.text) == (6, 7, True, "≥6-7")
    assert [f.count for f in total.figures] == [URIRef("urn:c1"), URIRef("urn:c2"), URIRef("urn:c3")]
    [exact] = totals([count(1, value=3), count(2, minimum=3)])
    assert (exact.text, count(3, minimum=6, maximum=7, approximate=True).text) == ("3", "about 6-7")


def test_a_curated_fact_on_the_curators_knowledge(objects: dict[str, dict]) -> None:
    fact = objects[stix_id("relationship", STMT["004_f40853ec4d41faf2.istaravshan.locatedIn.sughd"])]
    why = "Istaravshan is a town of Sughd region in the north; the article names the town only (paragraph 9)."
    assert (fact["x_kg_relation"], fact["x_kg_curator_knowledge"], fact["created"]) == (
        "locatedIn",
        why,
        "1970-01-01T00:00:00.000Z",
    )
    assert "external_references" not in fact
    report = objects[stix_id("report", URIRef("https://w3id.org/kg-armed-actors/source/004_f40853ec4d41faf2"))]
    assert fact["id"] not in report["object_refs"]  # it rests on no paragraph of 004
