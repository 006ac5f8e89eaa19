"""Disclosure stands on the standing world: enterprise A adopts the default catalogue; its HR
department (with a clerk) answers for pay; a delegate of its congress and a manager are readers
besides the worker."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhigong.core import actions as core
from zhigong.disclosure import actions
from zhigong.disclosure.models import Matter


@dataclass
class DisclosureWorld:
    hr: object
    clerk: object  # member of HR: a manager for the audience rules, answers pay questions

    def matter(self, world, code: str) -> Matter:
        return Matter.objects.get(enterprise=world.enterprise_a, code=code)


@pytest.fixture
def dw(world) -> DisclosureWorld:
    actions.adopt_defaults(world.enterprise_admin, world.enterprise_a)
    hr = core.create_department(world.enterprise_admin, world.enterprise_a, "人力资源部")
    clerk = core.create_account(world.admin, "hr_clerk", "Zhigong-test-2026")
    core.add_department_member(world.enterprise_admin, hr, clerk)
    actions.set_department(world.enterprise_admin, Matter.objects.get(enterprise=world.enterprise_a,
                                                                      code="pay_adjustment"), hr)
    return DisclosureWorld(hr, clerk)


def pdf(name: str = "附件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")


def publish(world, dw, code: str = "safety", period: str = "2026-Q1", **kwargs):
    matter = dw.matter(world, code)
    return actions.publish(world.enterprise_admin, matter, kwargs.pop("title", f"{period} {matter.name}"),
                           kwargs.pop("text", "本期情况如下。"), period=period, **kwargs)


FIRST_DAY = date(2026, 1, 1)
