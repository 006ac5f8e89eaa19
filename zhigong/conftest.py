"""Standing personas for every test (STYLE.md): a province cadre, a cadre of county A, an
enterprise admin and a worker of an enterprise in county A, an auditor over county A, and an
outsider (cadre of county B) who must get 404 on everything of county A."""

from dataclasses import dataclass
from datetime import date

import pytest

from zhigong.core import actions
from zhigong.core.identifiers import credit_code, id_number
from zhigong.core.models import Organization, Person, Role, User

PASSWORD = "Zhigong-test-2026"
Kind = Organization.Kind


@dataclass
class World:
    admin: User
    province: Organization
    city: Organization
    county_a: Organization
    county_b: Organization
    enterprise_a: Organization
    union_a: Organization
    enterprise_b: Organization
    union_b: Organization
    province_cadre: User
    cadre_a: User
    enterprise_admin: User
    worker: User
    worker_person: Person
    auditor: User
    outsider: User
    person_b: Person


def _user(admin, name, role=None, org=None, person=None, personal_data=False):
    user = actions.create_account(admin, name, PASSWORD, person=person)
    if role:
        actions.grant_role(admin, user, role, org, personal_data=personal_data)
    return user


def build_world() -> World:
    admin = actions.create_platform_admin("admin", PASSWORD)
    province = actions.create_organization(admin, Kind.FEDERATION, None, name="江苏省总工会", region_code="320000")
    city = actions.create_organization(admin, Kind.FEDERATION, province, name="南京市总工会", region_code="320100")
    county_a = actions.create_organization(admin, Kind.FEDERATION, city, name="玄武区总工会", region_code="320102")
    county_b = actions.create_organization(admin, Kind.FEDERATION, city, name="秦淮区总工会", region_code="320104")
    enterprise_a = actions.create_organization(
        admin, Kind.ENTERPRISE, county_a, name="玄武机械有限公司", credit_code=credit_code("320102", 1001),
        industry="制造业", employee_count=350,
    )
    union_a = actions.create_organization(admin, Kind.ENTERPRISE_UNION, enterprise_a, name="玄武机械有限公司工会")
    enterprise_b = actions.create_organization(
        admin, Kind.ENTERPRISE, county_b, name="秦淮纺织有限公司", credit_code=credit_code("320104", 2002),
        industry="纺织业", employee_count=120,
    )
    union_b = actions.create_organization(admin, Kind.ENTERPRISE_UNION, enterprise_b, name="秦淮纺织有限公司工会")
    worker_person = actions.register_person(
        admin, enterprise_a, "张伟", id_number("320102", date(1988, 3, 14), 101, male=True), "13812345678",
    )
    actions.start_employment(admin, worker_person, enterprise_a, date(2015, 7, 1), "labour_contract", 650000)
    actions.join_union(admin, worker_person, union_a, date(2015, 9, 1))
    person_b = actions.register_person(
        admin, enterprise_b, "李娜", id_number("320104", date(1992, 11, 2), 202, male=False), "13912345678",
    )
    actions.start_employment(admin, person_b, enterprise_b, date(2018, 3, 1), "labour_contract", 520000)
    actions.join_union(admin, person_b, union_b, date(2018, 4, 1))
    return World(
        admin=admin, province=province, city=city, county_a=county_a, county_b=county_b,
        enterprise_a=enterprise_a, union_a=union_a, enterprise_b=enterprise_b, union_b=union_b,
        province_cadre=_user(admin, "province_cadre", Role.CADRE, province),
        cadre_a=_user(admin, "cadre_a", Role.CADRE, county_a, personal_data=True),
        enterprise_admin=_user(admin, "enterprise_admin", Role.ENTERPRISE_ADMIN, enterprise_a),
        worker=_user(admin, "worker", person=worker_person),
        worker_person=worker_person,
        auditor=_user(admin, "auditor", Role.AUDITOR, county_a),
        outsider=_user(admin, "outsider", Role.CADRE, county_b),
        person_b=person_b,
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashing costs ~0.3 s a password; tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: figures kept for a minute (core.paging) are keyed
    by ids that a rolled-back test may hand out again, and must not leak from one test's
    database into the next."""
    from django.core.cache import cache

    from zhigong.core import policy, regions

    cache.clear()
    regions.forget_names()
    policy.forget_names()


@pytest.fixture(autouse=True)
def _reseed_after_flush(request):
    """Transactional tests end with a flush of every table, seeded rows included; put them
    back before each such test instead of serialising the whole database."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from zhigong.core.seeds import ensure_seed_data

        ensure_seed_data()


@pytest.fixture
def world(db) -> World:
    return build_world()


# Debian's Chromium through Playwright, for the tests marked `browser`; never a downloaded one.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: starting it costs more than a test's page visits."""
    import shutil

    from django.urls import get_resolver
    from playwright.sync_api import sync_playwright

    from zhigong.env import VAR_DIR

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is missing: install the package with apt-get install chromium"
    (VAR_DIR / "screenshots").mkdir(parents=True, exist_ok=True)
    # The first request imports the URLconf and the API schemas, which on a busy machine takes
    # longer than a navigation timeout; the live server thread shares this process.
    get_resolver().resolve("/")
    # Playwright's sync API keeps an event loop running in this thread, and Django refuses ORM
    # calls from such a thread; a test's ORM calls never overlap the browser's steps.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def login(client):
    """login(user) -> the Django test client logged in as that user."""

    def _login(user):
        client.force_login(user, backend="zhigong.core.auth.UsernameOrMobileBackend")
        return client

    return _login
