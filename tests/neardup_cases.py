"""Generated near-duplicate cases: realistic republication edits of real articles, and unrelated pairs."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path

from opencc import OpenCC

_S2T = OpenCC("s2t")


def _paras(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def add_captions(text: str, rng: random.Random) -> str:
    paras = _paras(text)
    for _ in range(3):
        paras.insert(rng.randrange(1, len(paras) + 1), "打开网易新闻 查看精彩图片")
    paras.insert(rng.randrange(1, len(paras) + 1), "（图片来源：江门日报）")
    return "\n".join(paras + ["责任编辑：李明_NB1234"])


def drop_paragraph(text: str, rng: random.Random) -> str:
    paras = _paras(text)
    if len(paras) > 4:
        # drop one body paragraph that is not a big share of the article
        small = [i for i in range(1, len(paras)) if len(paras[i]) < 0.15 * len(text)]
        if small:
            del paras[rng.choice(small)]
    return "\n".join(paras)


def reorder(text: str, rng: random.Random) -> str:
    paras = _paras(text)
    if len(paras) > 3:
        i = rng.randrange(1, len(paras) - 1)
        paras[i], paras[i + 1] = paras[i + 1], paras[i]
    return "\n".join(paras)


def repunctuate_title(text: str, rng: random.Random) -> str:
    paras = _paras(text)
    paras[0] = paras[0].replace(" ", "，").replace("：", ":") + "！"
    return "\n".join(paras)


def traditional(text: str, rng: random.Random) -> str:
    return str(_S2T.convert(text))


def combined(text: str, rng: random.Random) -> str:
    return repunctuate_title(drop_paragraph(add_captions(text, rng), rng), rng)


EDITS: dict[str, Callable[[str, random.Random], str]] = {
    "captions": add_captions, "drop_paragraph": drop_paragraph, "reorder": reorder,
    "repunctuate_title": repunctuate_title, "traditional": traditional, "combined": combined,
}


def corpus(shared: Path) -> dict[str, str]:
    """The real articles: five seeds and 26 dev articles (25 cities; several same-topic roundups)."""
    files = sorted((shared / "seeds").glob("*.txt")) + sorted((shared / "data" / "dev" / "articles").glob("*.txt"))
    return {p.stem: p.read_text(encoding="utf-8") for p in files}


# --- hard negatives: different articles built from one template (same city, same boilerplate) ----------

_CITIES = {"江门市": ("蓬江区", "江海区", "新会区"), "佛山市": ("南海区", "顺德区", "三水区"),
           "惠州市": ("惠城区", "惠阳区", "博罗县")}
_BOILERPLATE = [
    "{city}坚持把招商引资和项目建设作为推动高质量发展的“头号工程”，坚持制造业当家，全面推进“工业振兴”“园区再造”工程，"
    "开辟产业新赛道，以开局即决战、起步即冲刺的奋进姿态推动经济社会高质量发展。",
    "活动现场，{city}委主要负责同志表示，要切实提高政治站位，远见大局、迎难而上、力争上游，全力推进重点项目快落地、快开工、"
    "快产出，以项目建设的加速度跑出经济发展的新速度，为全省大局作出更大贡献。",
    "近年来，{city}持续优化营商环境，擦亮“保姆式服务”招牌，建立重大项目“一对一”服务专班，从保障项目资源要素、加强项目报审指导、"
    "加快前期审批工作、做好督导和项目退出等方面，全力推动招商项目加快开工建设，真正做到项目落地“零障碍”。",
    "下一步，{city}将继续坚持“项目为王”，聚焦新能源、新材料、高端装备制造、大健康等主导产业，加强全要素招商、资本招商、产业招商、"
    "场景招商，推动更多优质项目签约落地、开工建设、竣工投产，为打造大湾区制造业高质量发展主战场提供坚实支撑。",
    "据介绍，本次签约项目具有投资规模大、科技含量高、产业带动强、发展前景好等特点，涵盖新能源、新材料、高端装备制造、"
    "电子信息、生物医药、现代服务业等多个领域，将进一步完善{city}产业链条，增强产业集群竞争力，为经济高质量发展注入强劲动能。",
]
_LEADS = ["中创新航", "隆基", "科达利", "优巨", "崇辉", "华津", "柏涛", "君乐宝", "宝乐", "鹏腾", "建雅", "麦威", "华秋",
          "全合", "博为", "索沃思", "海天", "美的", "格林美", "欣旺达", "亿纬", "德昌", "利元亨", "星源"]
_WHATS = ["动力电池及储能系统", "硅能源产品", "新能源汽车精密结构件", "特种工程塑料", "集成电路材料", "大型金属", "智能装备",
          "液态奶", "清洁机器人", "预制菜", "高端定制机车", "新材料", "电子元器件", "光伏组件", "锂电池隔膜", "智能家电"]
_WHERES = ["生产基地", "产业园", "总部基地", "智造基地", "研发制造中心"]


def _amount(rng: random.Random) -> str:
    return f"{rng.randint(2, 120)}.{rng.randint(1, 99)}亿元" if rng.random() < 0.5 else f"{rng.randint(2, 200)}亿元"


def template_roundup(city: str, year: int, quarter: int, rng: random.Random) -> str:
    """A quarterly signing roundup: the city's fixed boilerplate around this quarter's projects and figures."""
    q = "一二三四"[quarter - 1]
    month, day = 3 * quarter - rng.randint(0, 2), rng.randint(1, 28)
    n, total = rng.randint(20, 90), rng.randint(150, 900)
    paras = [f"{city}举行{year}年第{q}季度重大项目集中签约活动 {n}个项目总投资{total}亿元",
             f"{month}月{day}日上午，{city}{year}年第{q}季度重大项目集中签约活动举行，共有{n}个项目集中签约，"
             f"总投资{total}亿元，其中制造业项目{rng.randint(5, n - 5)}个、投资{rng.randint(50, total - 20)}亿元。",
             _BOILERPLATE[0].format(city=city)]
    for i in range(rng.randint(3, 6)):
        name = rng.choice(_LEADS) + rng.choice(_WHATS) + rng.choice(_WHERES) + "项目"
        district = rng.choice(_CITIES[city])
        paras.append(f"{name}落户{district}，总投资{_amount(rng)}，占地{rng.randint(30, 600)}亩，"
                     f"预计达产后年产值{rng.randint(10, 300)}亿元，可新增就业岗位{rng.randint(200, 5000)}个。")
        if i == 1:
            paras.append(_BOILERPLATE[1].format(city=city))
    paras += [_BOILERPLATE[2].format(city=city), _BOILERPLATE[4].format(city=city), _BOILERPLATE[3].format(city=city)]
    return "\n".join(paras)


def template_siblings(rng: random.Random) -> dict[str, str]:
    """Four quarters of each of three cities: 12 articles, pairwise different stories with one template."""
    return {f"tpl:{city}:{year}Q{q}": template_roundup(city, year, q, rng)
            for city in _CITIES for year, q in [(2022, 4), (2023, 1), (2023, 2), (2023, 3)]}


_DIGITS = re.compile(r"\d+")


def respin(text: str, names: list[str], others: list[str], rng: random.Random) -> str:
    """The same article with every number and every project name changed: one template, other projects."""
    for name in sorted(names, key=len, reverse=True):
        if len(name) >= 4:
            text = text.replace(name, rng.choice(others))

    def other_number(m: re.Match[str]) -> str:
        old = new = m.group(0)
        while new == old:
            new = (str(rng.randint(2015, 2025)) if re.fullmatch(r"(?:19|20)\d\d", old)
                   else str(rng.randint(10 ** (len(old) - 1) if len(old) > 1 else 1, 10 ** len(old) - 1)))
        return new
    return _DIGITS.sub(other_number, text)


def respun_siblings(shared: Path, rng: random.Random) -> dict[str, str]:
    """Two re-spins of each real roundup with at least four gold projects (a real template, other projects)."""
    arts = corpus(shared)
    gold: dict[str, list[str]] = {}
    for path in (shared / "data/gold/seeds.jsonl", shared / "data/dev/gold.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            art = json.loads(line)
            gold[Path(art["file"]).stem] = [p["name"] for p in art["projects"]]
    pool = sorted({n for ns in gold.values() for n in ns})
    out = {}
    for stem, names in sorted(gold.items()):
        if len(names) >= 4 and stem in arts:
            others = [n for n in pool if n not in names]
            for k in (1, 2):
                out[f"respin:{stem}:{k}"] = respin(arts[stem], names, others, rng)
    return out


def hard_negatives(shared: Path, seed: int = 11) -> dict[str, str]:
    """Template siblings (generated, and re-spun real roundups): every one is its own story."""
    rng = random.Random(seed)
    return {**template_siblings(rng), **respun_siblings(shared, rng)}


def kind(story: str) -> str:
    """The corpus part a story comes from: real, tpl (generated template roundups) or respin (re-spun real)."""
    return story.split(":", 1)[0] if ":" in story else "real"


def labelled_documents(shared: Path, seed: int = 7, *, hard: bool = True) -> list[tuple[str, str, str]]:
    """(doc_id, story_id, text): every original plus each edit of it; same story_id = duplicates.

    With ``hard``, the template siblings join the corpus (with their own edited copies): each sibling must
    cluster with its copies and with no other sibling.
    """
    rng = random.Random(seed)
    articles = corpus(shared)
    if hard:
        articles.update(hard_negatives(shared))
    docs = []
    for name, text in articles.items():
        docs.append((name, name, text))
        for edit, fn in EDITS.items():
            docs.append((f"{name}~{edit}", name, fn(text, rng)))
    return docs
