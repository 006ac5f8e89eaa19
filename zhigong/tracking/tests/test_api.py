"""The tracking API end to end: plan, measures, progress (and its refusals as 400 with a code),
the import with its row-level report, and a step's proof against the public tree head."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from zhigong.core import actions as core
from zhigong.tracking.models import Entry
from zhigong.tracking.tests.test_import import filled, row
from zhigong.tracking.tests.test_proofs import proves


def test_plan_measures_progress_and_proof(tw, world, client):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {core.issue_token(tw.chair, 't')[1]}"}
    base = f"/api/v1/tracking/resolutions/{tw.passed.pk}"
    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    response = client.put(f"{base}/plan", {"due_on": due, "department_id": tw.vw.production.pk},
                          content_type="application/json", **auth)
    assert response.status_code == 200 and response.json()["state"] == "unplanned"
    created = client.post(f"{base}/measures", {"title": "改造灶台", "weight": 3, "due_on": due},
                          content_type="application/json", **auth)
    assert created.status_code == 201
    measure = created.json()["id"]
    client.post(f"{base}/measures", {"title": "公示菜价", "weight": 1, "due_on": due},
                content_type="application/json", **auth)
    ok = client.post(f"/api/v1/tracking/measures/{measure}/progress", {"percent": 80, "note": "基本完成"},
                     content_type="application/json", **auth)
    assert ok.status_code == 201 and ok.json()["previous"] == 0
    back = client.post(f"/api/v1/tracking/measures/{measure}/progress", {"percent": 50, "note": "复查"},
                       content_type="application/json", **auth)
    assert back.status_code == 400 and back.json()["code"] == "progress.backwards"
    assert back.json()["details"]["field"] == "percent"
    detail = client.get(base, **auth).json()
    assert (detail["state"], detail["progress"], detail["department"]) == ("carrying_out", 60, "生产部")
    step = detail["steps"][-1]
    head = client.get("/api/v1/trail/head").json()   # public, no login
    assert step["proof"]["head"]["root_hash"] == head["root_hash"] or step["proof"]["tree_size"] <= head["size"]
    assert proves(step["proof"], bytes.fromhex(step["proof"]["leaf_hash"]))
    assert step["entry_ids"] == [ok.json()["id"]]


def test_import_reports_rows_or_writes_everything(tw, client):
    from zhigong.tracking.tests.conftest import measures

    a, b = measures(tw, ("改造灶台", 1, timezone.localdate() + timedelta(days=9)),
                    ("公示菜价", 1, timezone.localdate() + timedelta(days=9)))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {core.issue_token(tw.chair, 't')[1]}"}
    url = f"/api/v1/tracking/enterprises/{tw.enterprise.pk}/import"
    template = client.get(f"/api/v1/tracking/enterprises/{tw.enterprise.pk}/template.xlsx", **auth)
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    assert load_workbook(io.BytesIO(template.content)).worksheets[0].max_row == 3
    bad = client.post(url, {"file": SimpleUploadedFile("p.xlsx", filled([row(a, 50), row(b, 150)]))}, **auth)
    assert bad.status_code == 400 and bad.json()["code"] == "import.invalid"
    assert [(e["row"], e["column"]) for e in bad.json()["details"]["errors"]] == [(3, "percent")]
    assert not Entry.objects.exists()
    good = client.post(url, {"file": SimpleUploadedFile("p.xlsx", filled([row(a, 50), row(b, 100)]))}, **auth)
    assert good.status_code == 201 and good.json()["rows"] == 2
    assert Entry.objects.count() == 2
