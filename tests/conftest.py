"""Shared fixtures and the --update-golden option."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.model import Profile
from dedup.normalize import key_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def sample(prefix: str) -> Path:
    """The sample page whose name starts with ``prefix`` (e.g. "000")."""
    (found,) = SAMPLES.glob(f"{prefix}_*.txt")
    return found


def check_golden(path: Path, actual: str, update: bool) -> None:
    """Compare ``actual`` with the golden file byte for byte (or rewrite it)."""
    data = actual.encode("utf-8")
    if update or not path.exists():
        if not update:
            pytest.fail(f"missing golden file {path}; run pytest --update-golden")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.read_bytes() == data, f"{path} differs; inspect, then pytest --update-golden"


# A hand-written story and an unrelated one, for the fingerprint, verification
# and clustering tests: long enough for several chunks, short enough to read.
STORY = (
    "初冬时节，松花江畔的小城迎来第一场雪。清晨六点，城东社区的志愿者已经扛着扫帚走上街头，"
    "把人行道上的积雪堆到树坑里，又在台阶上撒了防滑的炉灰。社区党委书记王秀兰说，今年社区把"
    "老人出行列为冬季服务的头等大事，八十多名志愿者分成十二个小组，每组包一条街。\n"
    "住在三号楼的李大爷今年七十六岁，老伴去年住进了养老院，他一个人守着老房子。入冬以后，"
    "网格员小赵每隔两天就上门一次，帮他买菜、取药，顺便检查暖气和燃气。李大爷拉着记者的手说，"
    "孩子们都在外地工作，平时打电话总问冷不冷，现在有社区照应，他们也就放心了。\n"
    "除了扫雪和上门服务，社区还在活动中心开设了暖心食堂，六十岁以上的老人每餐只需交五元钱，"
    "就能吃上两荤两素一汤。食堂的菜谱每周更新一次，由老人们投票决定。开张一个月来，食堂每天"
    "接待一百二十多人次，不少老人吃完饭还留下来下棋、唱歌，食堂成了大家聊天的好去处。\n"
    "区民政局的负责人介绍，全区今年新建社区食堂十五家，明年还将扩大到所有街道，并把送餐上门"
    "的服务延伸到行动不便的老人家中。下一步，区里还准备在每个社区配备一名专职的养老服务员，"
    "让老人们在家门口就能享受到专业的照料，真正做到老有所养、老有所依、老有所乐。"
)
OTHER_STORY = (
    "春耕在即，南部山区的农机合作社里一片忙碌。技术员正在给新到的播种机做最后的调试，"
    "几台无人机整齐地停在库房门口，等待着为麦田喷洒农药。合作社理事长陈建国告诉记者，"
    "去年合作社流转土地三千多亩，种植优质小麦和玉米，亩产比周边农户高出一成半。\n"
    "走进合作社的育秧大棚，一排排秧盘绿意盎然。这里采用了智能温控系统，手机上就能看到"
    "棚内的温度和湿度，遇到低温天气，系统会自动开启加热设备。种粮大户刘春生说，以前育秧"
    "全凭经验，一场倒春寒就可能让半年的心血白费，如今有了新设备，心里踏实多了。\n"
    "为了让更多农民学会使用新技术，县农业农村局今年组织了二十期培训班，邀请省农科院的专家"
    "到田间地头讲课，内容涵盖测土配方施肥、病虫害绿色防控和农机操作维修。参加培训的农民"
    "超过两千人，其中不少是返乡创业的年轻人，他们成了推广新技术的带头人。\n"
    "县里还设立了专项资金，对购买大型农机的合作社给予三成补贴，并在每个乡镇建设一处粮食"
    "烘干中心，解决秋收时节粮食晾晒难的问题。目前，全县主要农作物耕种收综合机械化率已经"
    "达到百分之八十五，粮食生产的底气越来越足，农民的钱袋子也越来越鼓。"
)


def profile(
    article_id: str,
    key: str | None = None,
    *,
    jump: str = "",
    continuation: bool = False,
    title: str = "",
    rare: float = 0.0,
) -> Profile:
    """A verification profile made by hand (``cut`` follows from jump and continuation).

    The key defaults to the folded ``STORY``.
    """
    return Profile(
        id=article_id,
        key=key_text(STORY) if key is None else key,
        cut=bool(jump) or continuation,
        continuation=continuation,
        jump=jump,
        title=title,
        rare=rare,
    )
