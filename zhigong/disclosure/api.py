"""厂务公开 over JSON (mounted at /api/v1/disclosure/ by zhigong/api.py): the catalogue, the
calendar and compliance of an enterprise, publishing and correcting (multipart, with
attachments), reading, acknowledging and asking, and a federation's ranking and heat map."""

import json
from datetime import date

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from zhigong.core.errors import DomainError, NotFound
from zhigong.core.models import Department
from zhigong.democracy.models import Session
from zhigong.disclosure import actions, queries
from zhigong.disclosure.models import Matter, Publication, Question
from zhigong.disclosure.schemas import (
    AcknowledgeOut,
    AdoptOut,
    AnswerIn,
    ComplianceOut,
    DepartmentIn,
    DueOut,
    HeatmapOut,
    MatterIn,
    MatterOut,
    PublicationDetail,
    PublicationOut,
    PublicationPage,
    QuestionIn,
    QuestionOut,
    RankingOut,
)

router = Router(tags=["disclosure"])


# A calendar year to ask about: the calendar builds dates in it and past its end (grace days), so a
# year Python's dates cannot hold answered 500 (year=-229, found by core/tests/test_api_fuzz.py).
YEAR = Query(None, ge=1900, le=2999, description="公历年份，缺省为今年")


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


def _department(enterprise, pk: int | None) -> Department | None:
    if pk is None:
        return None
    found = Department.objects.filter(pk=pk, enterprise=enterprise).first()
    if found is None:
        raise NotFound("department")
    return found


def _matter(request, pk: int, action: str = "view") -> Matter:
    matter = Matter.objects.select_related("enterprise").filter(pk=pk).first()
    if matter is None:
        raise NotFound("matter")
    queries.access_enterprise(request.user, matter.enterprise_id, action)
    return matter


def _due(row) -> dict:
    o = row.obligation
    return {"matter_code": row.matter.code, "matter": row.matter.name, "mandatory": row.matter.mandatory,
            "period": o.period.label, "start": o.period.start, "end": o.period.end, "due_on": o.period.due,
            "status": row.status, "publication_id": row.publication_id}


def _table(raw: str | None):
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise DomainError("table.shape", actions.TABLE_MESSAGES["table.shape"], field="table") from None


def _detail(request, publication: Publication) -> Publication:
    """The publication with what the detail schema adds: who corrected it, how many read it."""
    publication.corrected_by = Publication.objects.filter(previous=publication).values_list("pk", flat=True).first()
    publication.acknowledgement_count = publication.acknowledgements.count()
    publication.acknowledged_by_me = publication.acknowledgements.filter(user=request.user).exists()
    return publication


# --- Catalogue ------------------------------------------------------------------------------------

@router.get("/enterprises/{enterprise_id}/matters", response=list[MatterOut], summary="公开目录")
def list_matters(request: HttpRequest, enterprise_id: int):
    return queries.catalogue(queries.access_enterprise(request.user, enterprise_id))


@router.post("/enterprises/{enterprise_id}/matters/adopt-defaults", response=AdoptOut,
             summary="采用全国（地区）默认公开目录")
def adopt_defaults(request: HttpRequest, enterprise_id: int):
    enterprise = queries.access_enterprise(request.user, enterprise_id, "change")
    return {"added": actions.adopt_defaults(request.user, enterprise)}


@router.post("/enterprises/{enterprise_id}/matters", response={201: MatterOut}, summary="增加本企业公开事项")
def add_matter(request: HttpRequest, enterprise_id: int, payload: MatterIn):
    enterprise = queries.access_enterprise(request.user, enterprise_id, "change")
    return Status(201, actions.add_matter(request.user, enterprise, payload.name, payload.category,
                                          payload.frequency, payload.audience,
                                          _department(enterprise, payload.department_id), payload.mandatory))


@router.post("/matters/{matter_id}/department", response=MatterOut, summary="设定责任部门")
def set_department(request: HttpRequest, matter_id: int, payload: DepartmentIn):
    matter = _matter(request, matter_id, "change")
    return actions.set_department(request.user, matter, _department(matter.enterprise, payload.department_id))


# --- Calendar and compliance ---------------------------------------------------------------------

@router.get("/enterprises/{enterprise_id}/calendar", response=list[DueOut], summary="公开日历：何时应公开什么")
def calendar(request: HttpRequest, enterprise_id: int, year: int | None = YEAR):
    enterprise = queries.access_enterprise(request.user, enterprise_id)
    return [_due(row) for row in queries.calendar(enterprise, _year(year))]


@router.get("/enterprises/{enterprise_id}/compliance", response=ComplianceOut, summary="公开合规情况")
def compliance(request: HttpRequest, enterprise_id: int, year: int | None = YEAR):
    enterprise = queries.access_enterprise(request.user, enterprise_id)
    result = queries.compliance(enterprise, _year(year))
    return {**{k: result[k] for k in ("due", "on_time", "late", "missing", "not_due")}, "year": _year(year),
            "rate": float(result["rate"]) if result["rate"] is not None else None,
            "by_quarter": {k: float(v) if v is not None else None for k, v in result["by_quarter"].items()},
            "by_month": [list(cell) for cell in result["by_month"]],
            "missing_items": [_due(r) for r in result["missing_items"]],
            "late_items": [_due(r) for r in result["late_items"]]}


# --- Publications --------------------------------------------------------------------------------

@router.get("/enterprises/{enterprise_id}/publications", response=PublicationPage, summary="公开信息列表（按公开范围）")
def list_publications(request: HttpRequest, enterprise_id: int, matter_id: int | None = None, page: int = 1,
                      page_size: int = 20):
    enterprise = queries.access_reader_enterprise(request.user, enterprise_id)
    qs = queries.publications(request.user, enterprise, matter_id)
    page, page_size = max(page, 1), min(max(page_size, 1), 100)
    start = (page - 1) * page_size
    return {"count": qs.count(), "page": page, "page_size": page_size, "items": list(qs[start:start + page_size])}


@router.post("/enterprises/{enterprise_id}/publications", response={201: PublicationDetail},
             summary="发布公开信息（发布后不可修改）")
def publish(request: HttpRequest, enterprise_id: int, matter_id: Form[int], title: Form[str], text: Form[str],
            confirm: Form[bool] = False, period: Form[str] = "", session_id: Form[int | None] = None,
            event_on: Form[date | None] = None, table: Form[str] = "",
            files: File[list[UploadedFile]] = None):
    """Multipart. `table` is JSON {"columns": [...], "rows": [[...]]}; `confirm` must be true:
    a published disclosure is final (corrections are new versions)."""
    enterprise = queries.access_enterprise(request.user, enterprise_id, "change")
    matter = Matter.objects.filter(pk=matter_id, enterprise=enterprise).first()
    if matter is None:
        raise NotFound("matter")
    session = Session.objects.filter(pk=session_id, term__congress__enterprise=enterprise).first() \
        if session_id else None
    if session_id and session is None:
        raise NotFound("session")
    publication = actions.publish(request.user, matter, title, text, _table(table), files or [], period, session,
                                  event_on, confirmed=confirm)
    return Status(201, _detail(request, publication))


@router.get("/publications/{publication_id}", response=PublicationDetail, summary="公开信息详情")
def get_publication(request: HttpRequest, publication_id: int):
    return _detail(request, queries.access_publication(request.user, publication_id))


@router.post("/publications/{publication_id}/correct", response={201: PublicationDetail},
             summary="发布更正版本（须填写更正原因）")
def correct(request: HttpRequest, publication_id: int, reason: Form[str], title: Form[str], text: Form[str],
            table: Form[str] = "", files: File[list[UploadedFile]] = None):
    publication = queries.access_publication(request.user, publication_id)
    corrected = actions.correct(request.user, publication, reason, title, text, _table(table), files or [])
    return Status(201, _detail(request, corrected))


@router.get("/publications/{publication_id}/files/{file_id}", summary="下载附件", response={200: None})
def download(request: HttpRequest, publication_id: int, file_id: int):
    publication = queries.access_publication(request.user, publication_id)
    found = publication.files.filter(pk=file_id).first()
    if found is None:
        raise NotFound("file")
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.title,
                        content_type=found.content_type)


@router.post("/publications/{publication_id}/acknowledge", response=AcknowledgeOut, summary="确认已阅")
def acknowledge(request: HttpRequest, publication_id: int):
    publication = queries.access_publication(request.user, publication_id)
    actions.acknowledge(request.user, publication)
    return {"acknowledged": True, "count": publication.acknowledgements.count()}


@router.get("/publications/{publication_id}/questions", response=list[QuestionOut],
            summary="提问（本人的；答复人可见全部）")
def list_questions(request: HttpRequest, publication_id: int):
    publication = queries.access_publication(request.user, publication_id)
    probe = Question(publication=publication)
    return list(queries.questions(request.user, publication, actions.may_answer(request.user, probe)))


@router.post("/publications/{publication_id}/questions", response={201: QuestionOut}, summary="向责任部门提问")
def ask(request: HttpRequest, publication_id: int, payload: QuestionIn):
    publication = queries.access_publication(request.user, publication_id)
    return Status(201, actions.ask(request.user, publication, payload.text))


@router.post("/questions/{question_id}/answer", response=QuestionOut, summary="答复提问（责任部门）")
def answer(request: HttpRequest, question_id: int, payload: AnswerIn):
    return actions.answer(request.user, queries.access_question(request.user, question_id), payload.answer)


@router.get("/my/questions", response=list[QuestionOut], summary="待我答复的提问")
def my_queue(request: HttpRequest):
    return list(queries.question_queue(request.user)[:200])


@router.get("/my/feed", response=list[PublicationOut], summary="我可阅读的公开信息")
def my_feed(request: HttpRequest):
    return queries.feed(request.user)


# --- Federations ---------------------------------------------------------------------------------

@router.get("/federations/{federation_id}/ranking", response=RankingOut, summary="所属企业公开及时率排行")
def ranking(request: HttpRequest, federation_id: int, year: int | None = YEAR, page: int = 1, page_size: int = 50):
    federation = queries.access_federation(request.user, federation_id)
    rows = queries.ranking(request.user, federation, _year(year))
    page, page_size = max(page, 1), min(max(page_size, 1), 200)
    start = (page - 1) * page_size
    return {"year": _year(year), "count": len(rows), "page": page, "page_size": page_size,
            "items": rows[start:start + page_size]}


@router.get("/federations/{federation_id}/heatmap", response=HeatmapOut, summary="热力图：企业×月份")
def heatmap(request: HttpRequest, federation_id: int, year: int | None = YEAR, page: int = 1, page_size: int = 50):
    """The enterprises of the ranking's page (weakest first) by month: on-time rate in %."""
    federation = queries.access_federation(request.user, federation_id)
    rows = list(reversed(queries.ranking(request.user, federation, _year(year))))
    page, page_size = max(page, 1), min(max(page_size, 1), 200)
    rows = rows[(page - 1) * page_size: page * page_size]
    return {"year": _year(year), "months": [f"{m:02d}" for m in range(1, 13)], "enterprises": rows,
            "cells": queries.heat(rows, _year(year))}
