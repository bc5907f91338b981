"""Command line for people: build, search and inspect the knowledge base.

``python -m kb build [--source P] [--out P]``, ``search "问题"``, ``item 51``, ``stats``,
``corrections``. User mistakes (a bad item number, a missing database, a document that
does not parse) print one clear line and exit with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from kb.query import KnowledgeBase, KnowledgeBaseError


def _open(args) -> KnowledgeBase:
    return KnowledgeBase.open(args.db)


def cmd_build(args) -> int:
    from kb.build import BuildError, build

    try:
        report = build(source=args.source, out=args.out)
    except BuildError as exc:
        print(f"kb build failed: {exc}", file=sys.stderr)
        print(
            "The previous knowledge base (if any) was left untouched.", file=sys.stderr
        )
        return 2
    print(report.format())
    return 0


def cmd_search(args) -> int:
    kb = _open(args)
    text = " ".join(args.text)
    started = time.perf_counter()
    hits = kb.search(text, limit=args.limit)
    elapsed = (time.perf_counter() - started) * 1000
    if not hits:
        print("没有找到相关的服务项目。")
    for rank, hit in enumerate(hits, start=1):
        terms = "、".join(hit.matched_terms)
        print(
            f"{rank}. [{hit.item.id}] {hit.item.name}  score {hit.score:.2f}"
            + (f"  ({terms})" if terms else "")
        )
    terms = kb.match_terms(text)
    if terms:
        print("terms: " + "; ".join(f"{m.term}={m.kind}" for m in terms))
    for m in kb.match_situations(text):
        ids = " ".join(map(str, m.item_ids))
        print(f"situation: {m.term} → item {ids}  ({m.canonical})")
    print(f"({elapsed:.1f} ms)")
    return 0


def cmd_item(args) -> int:
    kb = _open(args)
    item = kb.item(args.number) if args.number.isdigit() else None
    if item is None:
        print(
            f"没有第 {args.number} 项：服务项目编号是 1 到 {len(kb.items())}。",
            file=sys.stderr,
        )
        return 2
    hotline = kb.hotline(item.id)
    print(f"第{item.id}项 {item.name}（{item.domain}）")
    if item.sections:
        print("服务对象：")
        for section in item.sections:
            print(f"  - {section.label}：{section.target_text}")
    else:
        print(f"服务对象：{item.target}")
    print(f"服务指导标准：{item.standard}")
    print(f"支出责任：{item.funding}")
    print(f"牵头负责部门：{'、'.join(item.departments)}")
    if item.departments_original != "、".join(item.departments):
        print(f"  （原文：{item.departments_original}）")
    source = "文件中列明" if hotline.in_document else hotline.source
    hours = f"，{hotline.hours}" if hotline.hours else ""
    print(f"热线：{hotline.number} {hotline.name}{hours}（{source}）")
    print(f"别名：{'、'.join(item.aliases)}")
    print(f"服务人群：{'、'.join(item.groups) or '—'}")
    for age in item.age_ranges:
        print(
            f"年龄：{age.phrase}（{age.applies_to}，min {age.min_age} max {age.max_age}，{age.scope}）"
        )
    print(f"原文第 {item.line} 行")
    return 0


def cmd_stats(args) -> int:
    kb = _open(args)
    print(f"{kb.path}")
    print(f"source sha256 {kb.source_sha256}")
    print(
        f"items {len(kb.items())}, domains {len(kb.domains())}, departments "
        f"{len(kb.departments())}, indicators {len(kb.indicators())}, tasks {len(kb.tasks())}, "
        f"aliases {sum(len(i.aliases) for i in kb.items())} links, groups {len(kb.groups())}, "
        f"corrections {len(kb.corrections())}"
    )
    for domain in kb.domains():
        print(
            f"  {domain.id}. {domain.name}: items {domain.item_ids[0]}–{domain.item_ids[-1]}"
        )
    return 0


def cmd_corrections(args) -> int:
    kb = _open(args)
    for c in kb.corrections():
        print(
            f"{c.record} {c.key} {c.field} (line {c.line}): {c.original} → {c.corrected}  — {c.why}"
        )
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and --help)."""
    p = argparse.ArgumentParser(
        prog="python -m kb",
        description="Build and query the 廊坊 public-services knowledge base.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser(
        "build", help="build the database from the document and kb/curated"
    )
    b.add_argument(
        "--source", type=Path, help="document text (default settings.KB_SOURCE)"
    )
    b.add_argument(
        "--out", type=Path, help="database to write (default settings.KB_PATH)"
    )
    b.set_defaults(func=cmd_build)
    for name, func, help_text in (
        ("search", cmd_search, "rank items for a question"),
        ("item", cmd_item, "show one item (1–81)"),
        ("stats", cmd_stats, "counts"),
        ("corrections", cmd_corrections, "corrections applied to the published text"),
    ):
        s = sub.add_parser(name, help=help_text)
        s.add_argument("--db", type=Path, help="database (default settings.KB_PATH)")
        if name == "search":
            s.add_argument("text", nargs="+")
            s.add_argument("--limit", type=int, default=5)
        if name == "item":
            s.add_argument("number")
        s.set_defaults(func=func)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KnowledgeBaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # Output piped into `head` and cut short: nothing is wrong, stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
