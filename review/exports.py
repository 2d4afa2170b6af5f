"""The ranking as a workbook (R12.6): the composite per application and every expert's total.
Cells go through common.spreadsheets: no name ever becomes a formula (issue 8 item 6)."""

from __future__ import annotations

from applications.enums import ApplicationStatus as S
from common.spreadsheets import append_row, new_workbook, workbook_bytes
from programmes.models import Cycle

from .enums import Stage
from .ranking import cycle_ranking

RANKING_COLUMNS = (
    "排名",
    "申报编号",
    "组织",
    "状态",
    "资料评审",
    "现场评审",
    "满意度指数",
    "测评份数",
    "资料评审折算",
    "现场评审折算",
    "满意度折算",
    "综合得分",
    "达到候选最低分",
)
EXPERT_COLUMNS = (
    "申报编号",
    "组织",
    "阶段",
    "专家",
    "组长",
    "总分（含一致意见）",
    "本人评分",
    "去掉",
)


def ranking_xlsx(cycle: Cycle) -> bytes:
    """Two sheets: 综合评价 (one row per ranked application) and 专家评分 (one row per score
    sheet counted in a stage). A fixed number of queries (those of ``cycle_ranking``)."""
    rows = cycle_ranking(cycle)
    book = new_workbook()
    sheet = book.create_sheet("综合评价")
    append_row(sheet, RANKING_COLUMNS)
    for r in rows:
        append_row(
            sheet,
            (
                r["rank"],
                r["application"],
                r["organisation"],
                S(r["status"]).label,
                r["document"]["score"],
                r["onsite"]["score"],
                r["satisfaction"]["index"],
                r["satisfaction"]["responses"],
                r["parts"]["document"],
                r["parts"]["onsite"],
                r["parts"]["satisfaction"],
                r["composite"],
                "是" if r["reaches_floor"] else "否",
            ),
        )
    experts = book.create_sheet("专家评分")
    append_row(experts, EXPERT_COLUMNS)
    for r in rows:
        for stage in (Stage.DOCUMENT, Stage.ONSITE):
            for e in r[stage.value]["experts"]:
                append_row(
                    experts,
                    (
                        r["application"],
                        r["organisation"],
                        stage.label,
                        e["expert"],
                        "是" if e["leader"] else "",
                        e["total"],
                        e["own_total"],
                        "是" if e["dropped"] else "",
                    ),
                )
    return workbook_bytes(book)
