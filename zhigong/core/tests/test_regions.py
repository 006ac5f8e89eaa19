from zhigong.core.models import Region


def test_known_codes_and_tree(db):
    assert Region.objects.get(code="110000").name == "北京市"
    xuanwu = Region.objects.get(code="320102")
    assert (xuanwu.name, xuanwu.level) == ("玄武区", "county")
    assert xuanwu.parent.code == "320100" and xuanwu.parent.parent.code == "320000"
    shenzhen = Region.objects.get(code="440300")
    assert (shenzhen.name, shenzhen.level, shenzhen.parent_id) == ("深圳市", "city", "440000")
    assert Region.objects.filter(level="province").count() == 31
    assert 3200 < Region.objects.count() < 3400


def test_every_region_but_provinces_has_a_parent_of_a_higher_level(db):
    rank = {"province": 0, "city": 1, "county": 2}
    for region in Region.objects.filter(parent__isnull=False).select_related("parent"):
        assert rank[region.parent.level] < rank[region.level]
        assert region.code.startswith(region.parent.code[:2])
    assert not Region.objects.exclude(level="province").filter(parent__isnull=True).exists()
