"""The checks against the division list work once per distinct place, not once per row: a register
that writes the same names on many rows asks the list about each name once, and every row still gets
its finding."""

from conftest import HEADER, write

from kuaidi_cli.check import official
from kuaidi_cli.commands.check import check
from kuaidi_cli.core import gazetteer
from kuaidi_cli.core.rules import load_rules

RULES, _ = load_rules()


def test_each_distinct_name_is_looked_up_once(tmp_path, monkeypatch):
    """30 rows of 袁楼村委会 and 30 of 无此村 (one township, populations differ): two distinct places, so
    the match by name runs twice and the nearest names of 无此村 are sought once; its 30 rows are each
    reported unknown."""
    by_name, suggested = [], []
    real_by_name, real_suggest = official._by_name, official.suggest

    def counting_by_name(index, county, township, name):
        by_name.append(name)
        return real_by_name(index, county, township, name)

    def counting_suggest(name, candidates, n=3):
        suggested.append(name)
        return real_suggest(name, candidates, n)

    monkeypatch.setattr(official, "_by_name", counting_by_name)
    monkeypatch.setattr(official, "suggest", counting_suggest)
    rows = [f"祥符区,城关镇,袁楼村委会,,{1000 + i},1,是,,是,,邮快合作" for i in range(30)]
    rows += [f"祥符区,城关镇,无此村,,{2000 + i},1,是,,是,,邮快合作" for i in range(30)]
    gz = gazetteer.load(RULES)
    result = check([write(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n")], RULES, gazetteer=gz)

    assert sorted(by_name) == ["无此村", "袁楼村委会"]
    assert suggested.count("无此村") == 1
    unknown = [f.row for f in result.findings if f.code == "unknown-village" and f.row is not None]
    assert sorted(unknown) == list(range(32, 62))  # header on row 1: 无此村 is on rows 32..61
