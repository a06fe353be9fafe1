"""Near-duplicate prose (shingles, MinHash, LSH verified by Jaccard), its band
keys stored once and migrated into old databases, and the kept answers that
are never stale — on SQLite and a real PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from gongkai.corpus import analysis, prose
from gongkai.corpus.cache import generation
from gongkai.corpus.ingest import process, store
from gongkai.corpus.models import CacheRow, ParagraphRow, unpack_record
from gongkai.corpus.query import Filter, remove, show_report
from gongkai.corpus.rank import rank
from gongkai.db import connect, unit_of_work, upgrade

MINZHENG = (EXAMPLES / "qingshan-minzheng-2024.txt").read_text("utf-8")
#: a paragraph of the 民政局's report, and the same with a few characters changed
PARA = "严格执行依申请公开受理、登记、审核、答复流程，在法定期限内答复全部申请，对部分公开和不予公开的申请逐项说明理由和依据，告知申请人救济途径。"
EDITED = "严格执行依申请公开受理、登记、审查、答复流程，在法定时限内答复全部申请，对部分公开和不予公开的申请逐一说明理由和依据，告知申请人救济渠道。"
UNRELATED = "本局围绕农田水利建设、灌区续建配套与节水改造、小型水库除险加固等重点工作，按季度发布工程进度和资金拨付情况，接受社会监督。"


def _other_agency(paragraph: str, name: str = "青山市示范区水务局") -> bytes:
    """The 民政局's report printed by another agency, its paragraph ``PARA``
    replaced, every other paragraph of its own (so only ``paragraph`` can be shared)."""
    lines = MINZHENG.replace("青山市示范区民政局", name).replace("民政", "水务").split("\n")
    out = []
    for i, line in enumerate(lines):
        if line == PARA:
            out.append(paragraph)
        elif line.endswith("。"):  # prose of its own: each agency shuffles differently
            k = 2 if "水务" in name else 3
            out.append(f"第{i}项工作：" + "".join(line[j::k] for j in range(k))[::-1])
        else:
            out.append(line)
    return "\n".join(out).encode()


def _add(engine: sa.Engine, data: bytes, name: str) -> int:
    with unit_of_work(engine) as s:
        got = store(s, process(data, name=name))
    assert got.report_id is not None, got
    return got.report_id


def test_shingles_and_similarity() -> None:
    from gongkai.corpus.ingest import normalise_paragraph

    a, b, c = (prose.shingle_array(t, None) for t in (PARA, EDITED, UNRELATED))
    assert prose.similarity(a, b) >= prose.THRESHOLD > prose.similarity(a, c)
    keys = prose.band_keys(normalise_paragraph(PARA))
    assert len(keys) == 4 * prose.BANDS and keys == prose.band_keys(normalise_paragraph(PARA))
    # near-duplicates share a band key; unrelated prose almost never does
    shared = {keys[i : i + 4] for i in range(0, len(keys), 4)} & {
        k[i : i + 4]
        for k in [prose.band_keys(normalise_paragraph(EDITED))]
        for i in range(0, len(k), 4)
    }
    assert shared


@settings(max_examples=40, deadline=None)
@given(
    st.text(
        alphabet="政府信息公开申请答复审核流程依据理由监督考核培训平台网站",
        min_size=30,
        max_size=120,
    )
)
def test_identical_text_is_always_a_candidate(text: str) -> None:
    keys = prose.band_keys(text)
    assert keys == prose.band_keys(text)
    assert prose.similarity(prose.shingle_array(text, None), prose.shingle_array(text, None)) == 1.0


def test_copied_between_agencies_found_unrelated_not(db_url: str) -> None:
    engine = connect(db_url)
    upgrade(engine)
    mine = _add(engine, MINZHENG.encode(), "minzheng.txt")
    copier = _add(engine, _other_agency(EDITED), "shuiwu.txt")
    _add(engine, _other_agency(UNRELATED, "青山市示范区财政局"), "caizheng.txt")
    got = analysis.copied_prose(engine)
    pairs = {(s.report_id, s.other_id) for s in got}
    assert pairs == {(mine, copier), (copier, mine)}, got
    one = next(s for s in got if s.report_id == copier)
    assert one.paragraphs == 1 and one.example == EDITED
    assert prose.THRESHOLD <= one.similarity < 1.0
    assert 0 < one.share < 0.5
    # the compare page names the same paragraph
    from gongkai.corpus.browse import shared_paragraphs

    assert shared_paragraphs(engine, copier, mine) == [EDITED]
    engine.dispose()


def test_kept_answers_are_never_stale(db_url: str) -> None:
    engine = connect(db_url)
    upgrade(engine)
    mine = _add(engine, MINZHENG.encode(), "minzheng.txt")
    assert analysis.copied_prose(engine) == []
    ranked = rank(engine)
    assert [e.report_id for e in ranked.entries] == [mine]
    with engine.connect() as c:
        gen = generation(c)
        kept = {
            " ".join(q.split(" ")[:2]) for q in c.execute(sa.select(CacheRow.question)).scalars()
        }
    # each year's scores are kept apart from the ranking (other filters reuse them)
    assert gen >= 1 and kept == {"rank Filter(years=(),", "rank components", "copied prose"}
    assert rank(engine).entries[0].score == ranked.entries[0].score  # from the kept answer
    copier = _add(engine, _other_agency(EDITED), "shuiwu.txt")
    assert {s.report_id for s in analysis.copied_prose(engine)} == {mine, copier}
    assert {e.report_id for e in rank(engine).entries} == {mine, copier}
    with engine.begin() as c:
        remove(c, [copier])
    assert analysis.copied_prose(engine) == []
    assert [e.report_id for e in rank(engine).entries] == [mine]
    engine.dispose()


def test_old_database_migrates(tmp_path: Path) -> None:
    """A corpus stored before band keys existed gets them, and its prose is compared."""
    engine = connect(tmp_path / "old.db")
    upgrade(engine, "corpus_0001")
    rows = {}
    for data, name in ((MINZHENG.encode(), "m.txt"), (_other_agency(EDITED), "s.txt")):
        got = process(data, name=name)
        for p in got.paragraphs:
            p.pop("bands")
        rows[name] = got
    md = sa.MetaData()
    md.reflect(engine)
    with engine.begin() as c:
        for i, got in enumerate(rows.values(), 1):
            got.agency = None
            for table, rs in got.rows(i).items():
                if table == "records":  # kept in reports until corpus_0006
                    continue
                if table == "cells":
                    rs = [{**r, "provenance": '{"line":3,"by":"label"}', "line": 3} for r in rs]
                if table == "reports":  # the record as text, as corpus_0001 kept it
                    rs = [{**r, "record": json.dumps(unpack_record(got.record_z))} for r in rs]
                if rs:
                    c.execute(md.tables[table].insert(), rs)
    counts = "SELECT (SELECT count(*) FROM cells), (SELECT count(*) FROM paragraphs)"
    with engine.connect() as c:
        before = tuple(c.execute(sa.text(counts)).one())
    upgrade(engine)
    with engine.connect() as c:
        # no table rebuilt under its children (a cascade would empty them)
        assert tuple(c.execute(sa.text(counts)).one()) == before and before[0] > 300
        bands = c.execute(sa.select(ParagraphRow.bands)).scalars().all()
        assert bands and all(b is not None and len(b) == 4 * prose.BANDS for b in bands)
        provs = set(c.execute(sa.text("SELECT DISTINCT provenance FROM cells")).scalars())
        assert provs == {'{"by":"label"}'}
    got = analysis.copied_prose(engine, Filter(years=(2024,)))
    assert {s.report_id for s in got} == {1, 2}
    # the record, compressed by corpus_0003, comes back whole
    shown = show_report(engine, 1)
    assert shown is not None
    assert shown.record["table3"] == unpack_record(rows["m.txt"].record_z)["table3"]
    # …from its own table since corpus_0006: reports keeps the short columns
    assert "record_z" not in {c["name"] for c in sa.inspect(engine).get_columns("reports")}
    with engine.begin() as c:
        remove(c, [1])
        left = c.execute(sa.text("SELECT report_id FROM report_records")).scalars().all()
    assert left == [2]
    engine.dispose()
