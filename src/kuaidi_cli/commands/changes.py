"""`changes` as a library call: what changed between two as-of dates recorded in the history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kuaidi_cli.core.errors import KuaidiError
from kuaidi_cli.core.rules import Rules, canonical_county
from kuaidi_cli.report.changes import Changes, compare
from kuaidi_cli.write import history


def load(rules: Rules, path: Path | None, since: dt.date | None, to: dt.date | None,
         county: str | None) -> Changes:
    """The changes from `since` (default: the recorded as-of date before `to`) to `to` (default: the latest
    recorded), of the scope or of one county; raises KuaidiError when the history lacks either date."""
    path = path or history.default_path()
    if not path.exists():
        raise KuaidiError(f"还没有历史库 {path}：先运行 kuaidi export",
                          f"no history at {path} yet: run kuaidi export first")
    dates = history.state_dates(path)
    shown = "、".join(d.isoformat() for d in dates) or "无"
    to = to or (dates[-1] if dates else None)
    if to is None or to not in dates:
        raise KuaidiError(
            f"历史库中没有 {to} 的各村状态（有：{shown}）；各村状态自本版本的 kuaidi export 起记录",
            f"the history keeps no village states as of {to} (it has: {shown}); exports record "
            "them from this version on",
        )
    if since is not None and since not in dates:
        raise KuaidiError(f"历史库中没有 {since} 的各村状态（有：{shown}）",
                          f"the history keeps no village states as of {since} (it has: {shown})")
    if since is not None and since >= to:
        raise KuaidiError(f"--since {since} 须早于 --to {to}", f"--since {since} must be before --to {to}")
    earlier = [d for d in dates if d < to]
    since = since or (earlier[-1] if earlier else None)
    if since is None:
        raise KuaidiError(f"需要早于 {to} 的另一个截至日期（历史库中有：{shown}）",
                          f"needs another as-of date before {to} (the history has: {shown})")
    before, after = history.states_at(path, since), history.states_at(path, to)
    assert before is not None and after is not None  # (both are state dates)
    changes = compare(before, after, since, to, sent_before=history.submitted_at(path, since),
                      sent_after=history.submitted_at(path, to))
    if county:
        name = canonical_county(county, rules)
        if name not in set(after["county"]) | set(before["county"]):
            raise KuaidiError(f"历史库中没有县区「{county}」", f"no county '{county}' in the history")
        changes = changes.only(name)
    return changes
