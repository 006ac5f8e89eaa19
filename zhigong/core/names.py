"""Plausible Chinese personal names for demo data: a surname drawn by its frequency, then one or
two given-name characters chosen by sex and by generation (names follow fashions: 建国 and 秀英
belong to people born in the 1960s, 子轩 and 欣怡 to the 2000s).

The surname weights are rounded shares per thousand of the population, after the Ministry of
Public Security's published surname rankings (2020 household-registration figures); the tail
is shortened, which only makes rare surnames a little rarer."""

import numpy as np

SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 71.5), ("李", 70.0), ("张", 67.0), ("刘", 54.0), ("陈", 46.0), ("杨", 31.0),
    ("黄", 22.0), ("赵", 20.0), ("吴", 19.0), ("周", 18.0), ("徐", 15.0), ("孙", 15.0),
    ("马", 14.0), ("朱", 13.0), ("胡", 13.0), ("郭", 11.0), ("何", 11.0), ("林", 10.0),
    ("高", 10.0), ("罗", 9.0), ("郑", 8.0), ("梁", 8.0), ("谢", 7.0), ("宋", 6.5),
    ("唐", 6.4), ("许", 6.0), ("韩", 5.7), ("冯", 5.5), ("邓", 5.5), ("曹", 5.2),
    ("彭", 5.0), ("曾", 4.8), ("肖", 4.7), ("田", 4.5), ("董", 4.5), ("袁", 4.3),
    ("潘", 4.2), ("于", 4.1), ("蒋", 4.0), ("蔡", 3.9), ("余", 3.8), ("杜", 3.7),
    ("叶", 3.6), ("程", 3.5), ("苏", 3.4), ("魏", 3.3), ("吕", 3.2), ("丁", 3.1),
    ("任", 3.0), ("沈", 2.9), ("姚", 2.8), ("卢", 2.7), ("姜", 2.7), ("崔", 2.6),
    ("钟", 2.5), ("谭", 2.5), ("陆", 2.4), ("汪", 2.3), ("范", 2.3), ("金", 2.2),
    ("石", 2.1), ("廖", 2.1), ("贾", 2.0), ("夏", 2.0), ("韦", 2.0), ("付", 1.9),
    ("方", 1.9), ("白", 1.8), ("邹", 1.8), ("孟", 1.7), ("熊", 1.7), ("秦", 1.6),
    ("邱", 1.6), ("江", 1.6), ("尹", 1.5), ("薛", 1.5), ("闫", 1.4), ("段", 1.4),
    ("雷", 1.4), ("侯", 1.3), ("龙", 1.3), ("史", 1.3), ("陶", 1.2), ("黎", 1.2),
    ("贺", 1.2), ("顾", 1.2), ("毛", 1.1), ("郝", 1.1), ("龚", 1.1), ("邵", 1.0),
    ("万", 1.0), ("钱", 1.0), ("严", 1.0), ("覃", 0.9), ("武", 0.9), ("戴", 0.9),
    ("莫", 0.8), ("孔", 0.8), ("向", 0.8), ("汤", 0.8), ("常", 0.7), ("葛", 0.6),
    ("欧阳", 0.2), ("上官", 0.03), ("司马", 0.03), ("诸葛", 0.03), ("东方", 0.02),
)

# Given-name characters by sex and generation (born before 1985 / from 1985 on).
GIVEN_MALE_OLDER = (
    "建国军华明强伟平勇斌刚林峰东海波宏志文杰春生荣忠祥德新民庆兵红光亮成辉涛金福"
)
GIVEN_MALE_YOUNGER = (
    "浩宇轩子豪俊杰涛鹏鑫磊博超昊晨阳帆凯睿泽航然一宸逸辰皓锐哲琪翔瑞毅晟晓"
)
GIVEN_FEMALE_OLDER = (
    "秀英桂兰芳丽敏静红梅霞燕玲萍华娟凤琴云珍艳芬玉洁丹莉美琳春慧小翠"
)
GIVEN_FEMALE_YOUNGER = (
    "欣怡婷雪颖倩佳悦琪雨涵晶璐瑶菲彤妍诗梦思可馨蕾嘉宁月晴雯茜楠蓉萱一"
)

# Share of people with a single-character given name (张伟, 李娜); more common in older
# generations, but still about a quarter of young people.
SINGLE_CHAR_SHARE_OLDER = 0.40
SINGLE_CHAR_SHARE_YOUNGER = 0.25
GENERATION_BORN = 1985

_SURNAME_NAMES = np.array([s for s, _w in SURNAMES], dtype=object)
_SURNAME_P = np.array([w for _s, w in SURNAMES], dtype=float)
_SURNAME_P /= _SURNAME_P.sum()


def draw_surnames(rng: np.random.Generator, count: int) -> np.ndarray:
    return rng.choice(_SURNAME_NAMES, size=count, p=_SURNAME_P)


def _pools(male: np.ndarray, younger: np.ndarray) -> list[tuple[np.ndarray, str]]:
    """The four (who, characters) pools: mask of the rows each pool serves."""
    return [
        (male & ~younger, GIVEN_MALE_OLDER), (male & younger, GIVEN_MALE_YOUNGER),
        (~male & ~younger, GIVEN_FEMALE_OLDER), (~male & younger, GIVEN_FEMALE_YOUNGER),
    ]


def draw_given_names(rng: np.random.Generator, male: np.ndarray, birth_years: np.ndarray) -> np.ndarray:
    """One or two characters per person, from the pool of their sex and generation."""
    count = len(male)
    younger = birth_years >= GENERATION_BORN
    single_share = np.where(younger, SINGLE_CHAR_SHARE_YOUNGER, SINGLE_CHAR_SHARE_OLDER)
    single = rng.random(count) < single_share
    first = np.empty(count, dtype=object)
    second = np.empty(count, dtype=object)
    for rows, chars in _pools(male, younger):
        pool = np.array(list(chars), dtype=object)
        n = int(rows.sum())
        one = rng.integers(0, len(pool), n)
        # The second character differs from the first: 伟伟 or 一一 read as nicknames.
        two = (one + rng.integers(1, len(pool), n)) % len(pool)
        first[rows], second[rows] = pool[one], pool[two]
    second[single] = ""
    return first + second


def draw_names(rng: np.random.Generator, male: np.ndarray, birth_years: np.ndarray) -> list[str]:
    """Full names (surname + given name) for people of the given sexes and birth years."""
    return (draw_surnames(rng, len(male)) + draw_given_names(rng, male, birth_years)).tolist()
