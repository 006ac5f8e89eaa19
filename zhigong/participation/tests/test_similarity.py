"""A small hand-labelled set of Chinese proposals: for each query, the true duplicate ranks first."""

import pytest

from zhigong.participation.similarity import SimilarityIndex

CORPUS = {
    1: "关于提高一线职工高温津贴标准的建议：夏季车间温度超过35度，现行高温津贴偏低，建议按市标准上调。",
    2: "关于改善职工食堂伙食质量的提案：食堂菜品单一、价格偏高，建议引入招标和职工评议。",
    3: "关于增设厂区班车线路的建议：新区职工上下班交通不便，建议开通至地铁站的通勤班车。",
    4: "关于落实带薪年休假制度的提案：部分班组因生产任务重无法休年假，建议统筹排班保障休假。",
    5: "关于加强夜班安全防护的建议：夜班照明不足，叉车作业区域缺少警示标识，存在安全隐患。",
    6: "关于开展职工技能培训和技能等级认定的提案：建议与职业院校合作，提升青年职工技能水平。",
    7: "关于女职工哺乳室建设的建议：厂区没有母婴室，哺乳期女职工很不方便。",
    8: "关于调整绩效工资分配办法的提案：绩效考核指标不透明，一线岗位与管理岗位差距过大。",
}

LABELLED = [
    ("天气炎热，车间里很热，希望上调高温补贴", 1),
    ("食堂饭菜种类少又贵，能否改进伙食", 2),
    ("希望开通通勤班车到地铁站", 3),
    ("年假休不了，请保障职工带薪休假", 4),
    ("叉车区域没有警示标识，夜班照明差，有安全隐患", 5),
    ("建议设立母婴室，方便哺乳期女职工", 7),
    ("绩效工资分配不合理，考核不透明", 8),
    ("提升青年职工技能，开展技能等级认定培训", 6),
]


@pytest.fixture(scope="module")
def index():
    return SimilarityIndex(list(CORPUS), list(CORPUS.values()))


@pytest.mark.parametrize("query,expected", LABELLED)
def test_true_duplicate_ranks_first(index, query, expected):
    matches = index.query(query, limit=3)
    assert matches and matches[0].id == expected, [(m.id, round(m.score, 3)) for m in matches]


def test_unrelated_text_finds_nothing_close(index):
    assert index.query("今天股市行情怎么样", limit=3) == []


def test_exclude_and_empty(index):
    assert all(m.id != 1 for m in index.query(CORPUS[1], exclude={1}))
    assert SimilarityIndex([], []).query("任何") == []
