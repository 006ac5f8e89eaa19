"""What the demo's workers write: proposals with the departments' answers, improvement
suggestions and suggestion-box messages. Data, not interface: these are the words of the
synthetic workers, so they are not translated."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ProposalText:
    key: str
    title: str
    category: str
    cause: str
    measures: str
    lead: str = ""  # department key (DEPARTMENTS)
    co: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()  # a second one when the first left the proposer not satisfied
    planned: str = ""
    progress: tuple[str, ...] = ()  # dated notes of the departments' work, the last one at 100 %


DEPARTMENTS = {"production": "生产部", "hr": "人力资源部", "logistics": "后勤部", "safety": "安全环保部"}

PROPOSALS = (
    ProposalText(
        "heat", "关于提高高温津贴发放标准的提案", "wages",
        "每年6月至9月，一车间、二车间作业区温度经常超过35℃。现行高温津贴每月200元，低于本市规定的标准，"
        "而且只在7、8两个月发放，一线职工意见较大。",
        "一、按本市最新标准发放高温津贴，发放期间延长至6月至9月；二、高温天气调整作业时间，午间高温时段"
        "减少高温岗位作业；三、车间增设饮水点，免费供应防暑降温饮品。",
        "hr", ("logistics",)),
    ProposalText(
        "heat_again", "关于提高夏季高温补贴的提案", "wages",
        "夏季车间温度高，一线岗位高温津贴标准偏低，发放月份少，职工反映强烈。",
        "建议按本市规定的标准提高高温津贴，延长发放月份，同时做好车间防暑降温。"),
    ProposalText(
        "wage_growth", "关于建立职工工资正常增长机制的提案", "wages",
        "近三年企业经营效益稳步提升，但一线职工工资增幅明显低于利润增幅，部分岗位工资多年未调整，"
        "技术工人流失较多。",
        "一、通过工资集体协商确定年度工资增长幅度；二、工资增长向一线岗位和技术岗位倾斜；"
        "三、每年向职代会报告工资总额和增长情况。"),
    ProposalText(
        "overtime", "关于规范加班费计算和发放的提案", "rights",
        "部分班组加班未经审批登记，加班费按基本工资而不是按工资基数计算，法定节假日加班有时以调休代替"
        "加班费，职工意见较多。",
        "一、严格执行加班审批和考勤登记制度；二、按劳动法规定的标准计发加班费，法定节假日加班一律支付"
        "300%的加班工资；三、在工资条上单列加班时数和加班费。",
        "hr", (),
        ("人力资源部已核查近半年的考勤记录，对少发的加班费予以补发，今后工资条单列加班时数和加班费。",),
        "上线电子考勤审批流程，加班须在系统中申请和确认。",
        ("电子考勤审批流程已在一车间试运行。", "电子考勤审批流程已在全公司上线，少发的加班费已随当月工资补发。")),
    ProposalText(
        "canteen", "关于改善职工食堂饭菜质量和价格的提案", "welfare",
        "职工食堂菜品少、口味单一，近一年饭菜价格上涨约20%，部分职工只能外出就餐，午休时间紧张。",
        "一、成立有职工代表参加的伙食管理委员会；二、每周公布菜谱和价格，增加平价套餐；"
        "三、定期开展满意度调查，结果在厂务公开栏公布。",
        "logistics", (),
        ("后勤部已会同工会成立伙食管理委员会，每周公布菜谱，增设8元、10元两档平价套餐。",),
        "每季度开展一次就餐满意度测评，结果在厂务公开栏公布。",
        ("伙食管理委员会已成立，第一次满意度测评已完成。",)),
    ProposalText(
        "night_meal", "关于延长食堂夜班供餐时间的提案", "welfare",
        "食堂晚餐19点结束，夜班职工22点以后无处就餐，只能自带干粮或点外卖，冬天吃不上热饭。",
        "食堂增设22:00至次日1:00的夜宵供应，或在车间休息区设置自助餐柜和微波炉。"),
    ProposalText(
        "shuttle", "关于增开上下班通勤班车线路的提案", "welfare",
        "企业搬到开发区后，公交线路少、间隔长，部分职工单程通勤超过一个半小时，夜班下班后已没有公交车。",
        "一、增开城东、城南两条通勤班车线路；二、班车时间与倒班时间衔接，增设夜班班车；"
        "三、对自行通勤的职工发放交通补贴。",
        "logistics", ("hr",),
        ("后勤部已完成职工居住地调查，下月起增开城东线路，夜班班车与三班倒的时间衔接；交通补贴方案由人力资源部"
         "测算后报总经理办公会。",),
        "下月开通城东线路，三个月后评估城南线路的乘车需求。"),
    ProposalText(
        "housing", "关于解决青年职工住房困难的提案", "welfare",
        "青年职工和外地职工超过四成，市区房租高，单身宿舍床位紧张，不少青年职工因为住房问题离职。",
        "一、与开发区人才公寓对接，争取公租房配额；二、增加单身宿舍床位；三、对租房的职工发放住房补贴。",
        "logistics", ("hr",),
        ("已向开发区申请人才公寓30套，正在审批；单身宿舍将在现有楼内增加床位。",
         "人才公寓已获批20套，按工龄和家庭情况排序分配；住房补贴因成本原因暂缓，明年结合效益情况再研究。"),
        "人才公寓分配方案在厂务公开栏公示后执行。",
        ("已向开发区提交人才公寓申请。", "20套人才公寓已分配入住。")),
    ProposalText(
        "ventilation", "关于改造二车间通风除尘设施的提案", "safety",
        "二车间打磨、焊接工位的粉尘和烟尘浓度较高，现有排风设备老化，职工长期在这种环境下作业，存在职业病隐患。",
        "一、更换二车间排风除尘设备，增设焊烟净化装置；二、委托有资质的机构检测职业病危害因素并公布结果；"
        "三、为接尘岗位职工安排职业健康检查。",
        "safety", ("production",),
        ("安全环保部已委托第三方检测，二车间有3个点位粉尘浓度超标，已列入年度技改项目更换除尘设备。",),
        "三季度完成设备更换，完工后复测并公布结果。",
        ("除尘设备已到货，利用周末停产时间安装。", "新除尘设备已投用，复测各点位粉尘浓度全部达标，结果已公布。")),
    ProposalText(
        "ppe", "关于为一线岗位配发新型劳动防护用品的提案", "safety",
        "现在配发的防护手套和口罩舒适性差、更换周期长，夏季佩戴闷热，部分职工不愿佩戴，存在安全隐患。",
        "一、征求一线职工意见，选用透气性好、防护等级达标的新型防护用品；二、缩短易耗防护用品的更换周期；"
        "三、加强佩戴检查和培训。"),
    ProposalText(
        "forklift", "关于加强叉车作业区域安全管理的提案", "safety",
        "成品仓库和装卸区人车混行，叉车视线盲区多，今年已经发生两起叉车剐蹭险情。",
        "一、划定叉车专用通道和行人通道，设置隔离护栏；二、在路口和盲区安装警示灯和凸面镜；"
        "三、叉车司机持证上岗，定期复训。",
        "safety", ("production",)),
    ProposalText(
        "night_shift", "关于完善夜班轮班制度、减少连续夜班的提案", "management",
        "部分班组连续上夜班超过两周，职工睡眠和身体健康受到影响，家庭生活也受到很大影响。",
        "一、连续夜班一般不超过一周；二、夜班后保证不少于24小时休息；三、提高夜班津贴标准。",
        "production", ("hr",)),
    ProposalText(
        "four_shifts", "关于连续生产岗位实行“四班三运转”的提案", "management",
        "目前实行“三班两运转”，每班工作12小时，疲劳作业现象突出，不利于安全生产。",
        "建议在连续生产岗位推行“四班三运转”，每班8小时，适当补充人员，先在一车间试点。"),
    ProposalText(
        "night_allowance", "关于提高夜班津贴标准的提案", "wages",
        "夜班津贴每班15元，已经五年没有调整，与夜班职工付出的辛苦不相称。",
        "将夜班津贴提高到每班30元，并随工资增长同步调整。"),
    ProposalText(
        "skills", "关于开展职业技能等级认定和岗位练兵的提案", "training",
        "企业技能人才比例偏低，职工取得技能等级证书的渠道少，技能等级与工资待遇没有挂钩。",
        "一、申请企业自主开展职业技能等级认定；二、每年组织岗位练兵和技能比武；三、技能等级与岗位工资挂钩。",
        "hr", ("production",),
        ("已向人社部门申请企业技能等级认定资格，今年组织焊工、电工、钳工三个工种的技能比武。",),
        "年底前完成首批认定，技能津贴纳入下年度工资方案。",
        ("焊工、电工技能比武已举办，参赛职工126人。",)),
    ProposalText(
        "mentors", "关于建立新员工“师带徒”制度的提案", "training",
        "新入职职工上岗培训时间短，独立操作时容易出错，近两年新员工的工伤事故占比较高。",
        "一、为每名新员工指定师傅，签订师徒协议；二、设立带徒津贴；三、出师考核合格后方可独立上岗。"),
    ProposalText(
        "study", "关于增加职工学历提升和技能培训补贴的提案", "training",
        "不少职工希望参加学历教育和职业资格考试，但学费和考试费负担较重，企业目前没有补贴政策。",
        "对取得与岗位相关的学历或职业资格证书的职工，按费用的50%给予补贴，每人每年不超过3000元。"),
    ProposalText(
        "nursing", "关于设立女职工哺乳室的提案", "rights",
        "企业女职工近百人，哺乳期女职工没有专门的哺乳和储奶场所，只能在更衣室或卫生间，很不方便。",
        "一、在办公楼和生产区各设立一间爱心母婴室，配备冰箱、沙发和洗手池；二、落实哺乳期每天一小时的哺乳时间。",
        "logistics", ("hr",),
        ("已在办公楼二层和生产区休息楼各设立母婴室一间，哺乳时间由人力资源部在考勤中落实。",),
        "母婴室由后勤部专人管理，每日清洁消毒。",
        ("两间母婴室已投入使用。",)),
    ProposalText(
        "annual_leave", "关于落实职工带薪年休假制度的提案", "rights",
        "一线岗位人员紧张，不少职工多年没有休过年休假，也没有领到未休年休假的工资报酬。",
        "一、年初制定年休假计划，分批安排休假；二、确因工作需要不能安排休假的，按日工资收入的300%支付报酬。",
        "hr", (),
        ("人力资源部已要求各部门在一季度报送年休假计划，未休的年休假按规定支付报酬。",),
        "每半年通报各部门年休假落实情况。"),
    ProposalText(
        "checkup", "关于职工年度体检增加检查项目的提案", "welfare",
        "现有体检项目较少，没有针对粉尘、噪声岗位的专项检查，也没有女职工专项检查。",
        "一、体检增加肺功能、听力、甲状腺彩超等项目；二、增加女职工“两癌”筛查；三、体检结果由医生当面解读。",
        "hr", ("safety",),
        ("今年的体检已增加肺功能、电测听和女职工“两癌”筛查项目，体检后安排医生到厂解读报告。",),
        "体检项目每年根据岗位危害因素调整。",
        ("体检机构已确定，新增项目已纳入体检合同。", "全体职工体检已完成，医生到厂解读报告两次。")),
    ProposalText(
        "hardship", "关于完善困难职工帮扶机制的提案", "welfare",
        "部分职工因本人或家属患大病、子女上学等原因生活困难，现在的帮扶只有春节慰问，覆盖面小、标准低。",
        "一、建立困难职工档案，实行动态管理；二、设立职工互助帮扶基金；三、对大病职工给予医疗救助。"),
    ProposalText(
        "library", "关于建设职工书屋和文体活动室的提案", "other",
        "职工业余文化生活单调，宿舍区没有阅览和文体活动的场所。",
        "利用宿舍区闲置房间建设职工书屋和文体活动室，配备图书、乒乓球台和健身器材。"),
    ProposalText(
        "chargers", "关于在停车棚增设电动自行车充电桩的提案", "welfare",
        "骑电动自行车上下班的职工越来越多，停车棚没有充电设施，有职工私拉电线充电，存在火灾隐患。",
        "在停车棚安装智能充电桩，划定充电区域并配备灭火器材，严禁私拉乱接。",
        "logistics", ("safety",),
        ("后勤部已在东、西两个停车棚安装智能充电桩40个，配备灭火器材，并张贴安全充电须知。",),
        "充电桩按成本价收费，安全环保部每月检查一次。",
        ("充电桩设备采购完成。", "40个充电桩已安装完毕并投入使用。")),
    ProposalText(
        "appraisal", "关于优化绩效考核办法、提高一线岗位权重的提案", "wages",
        "现行绩效考核指标偏重管理岗位，一线岗位的考核标准不透明，绩效奖金差距不合理。",
        "一、绩效考核方案提交职代会审议；二、提高一线岗位绩效奖金系数；三、考核结果向本人公开并允许申诉。"),
    ProposalText(
        "notice_board", "关于推行厂务公开电子化的提案", "management",
        "厂务公开栏只设在办公楼，一线和倒班职工看不到，公开内容更新也不及时。",
        "通过职工服务平台推送厂务公开内容，在各车间设置电子公开屏。"),
    ProposalText(
        "dormitory", "关于修缮职工宿舍热水和空调设施的提案", "welfare",
        "职工宿舍热水供应不稳定，部分房间空调老化不制冷，夏季宿舍闷热，影响夜班职工休息。",
        "一、更换宿舍楼热水器；二、更换老旧空调；三、建立宿舍设施报修和限时维修制度。",
        "logistics", (),
        ("已列入年度维修计划，分两批更换宿舍热水器和空调，报修电话在各楼层张贴。",),
        "第一批更换三号楼、四号楼，第二批更换一号楼、二号楼。",
        ("三号楼、四号楼的热水器和空调已更换。",)),
    ProposalText(
        "induction", "关于加强新上岗和转岗职工安全培训的提案", "safety",
        "部分转岗职工没有经过安全培训就上岗，对新岗位的危险源认识不足。",
        "严格落实三级安全教育，转岗、复岗职工重新培训，考试合格后上岗，培训记录存档备查。"),
)

# (key, session, where the proposal ends, delegate who proposes it: "persona" or an index).
# "past" proposals were collected for the closed session and are being handled; "next" ones for
# the convened session, whose collection is still open.
PLAN = (
    ("night_meal", "next", "draft", "persona"), ("four_shifts", "next", "draft", 7),
    ("night_allowance", "next", "draft", 12),
    ("wage_growth", "next", "submitted", 5), ("study", "next", "submitted", 9),
    ("hardship", "next", "submitted", 14),
    ("ppe", "next", "under_review", 6), ("induction", "next", "under_review", 11),
    ("mentors", "past", "accepted", 8), ("appraisal", "past", "accepted", 13),
    ("library", "past", "converted", 10), ("notice_board", "past", "converted", 15),
    ("heat", "past", "assigned", 4), ("forklift", "past", "assigned_overdue", 16),
    ("night_shift", "past", "assigned", 17), ("overtime", "past", "assigned_again", 18),
    ("heat_again", "past", "merged:heat", 19),
    ("shuttle", "past", "answered", 20), ("annual_leave", "past", "answered", 21),
    ("skills", "past", "carrying_out", 22), ("dormitory", "past", "carrying_out", 23),
    ("checkup", "past", "carried_out", 24), ("chargers", "past", "carried_out", "persona"),
    ("ventilation", "past", "closed:satisfied", 25), ("nursing", "past", "closed:satisfied", 26),
    ("canteen", "past", "closed:basically_satisfied", 27), ("housing", "past", "closed:not_satisfied", 28),
)

CONVERTED_REASONS = {
    "library": "职工书屋和文体活动室建设属于工会日常工作，不作为提案立案，转工会办公室按意见建议办理。",
    "notice_board": "厂务公开电子化已列入本年度厂务公开工作计划，转厂务公开领导小组办公室统一安排，不再单独立案。",
}


@dataclass(frozen=True)
class SuggestionText:
    team: str
    title: str
    topic: str  # production / safety / cost / technology
    content: str
    outcome: str  # submitted / adopted / rejected / implemented / rewarded
    benefit_yuan: int = 0
    reward_yuan: int = 0
    reason: str = ""


SUGGESTIONS = (
    SuggestionText("一车间甲班", "冲压模具快速换模改进", "technology",
                   "采用快速定位销和液压夹紧装置，换模时间由45分钟缩短到12分钟，每班可多生产约300件。",
                   "rewarded", 186_000, 5_000, "换模时间缩短效果明显，在冲压线推广。"),
    SuggestionText("二车间装配班", "装配线工装夹具改进", "production",
                   "将螺栓预紧工序的手动夹具改为气动夹具，减少返工，装配一次合格率由96%提高到99%。",
                   "rewarded", 62_000, 2_000, "提高合格率，采纳实施。"),
    SuggestionText("设备维修班", "空压机余热回收用于宿舍热水", "cost",
                   "在空压机上加装余热回收装置，把压缩热用于宿舍和浴室热水，可替代一台电热水锅炉。",
                   "implemented", 95_000, 0, "节能效果好，由动力班实施。"),
    SuggestionText("质检班", "来料检验改为分级抽检加批次追溯", "production",
                   "对连续合格的供应商实行放宽抽检，对问题供应商加严检验，检验记录与批次号关联，便于追溯。",
                   "adopted", reason="可减少检验工作量，由质量部制定实施细则。"),
    SuggestionText("仓储物流班", "成品库位条码化管理", "production",
                   "给库位和成品贴条码，出入库扫码登记，找货时间由平均20分钟缩短到5分钟，盘点差错明显减少。",
                   "rewarded", 48_000, 1_500, "采纳，已在成品库实施。"),
    SuggestionText("动力班", "车间照明改LED并分区控制", "cost",
                   "车间照明更换为LED灯，按工位分区设置开关，非生产区域下班后自动关灯。",
                   "implemented", 38_000, 0, "节电明显，采纳实施。"),
    SuggestionText("一车间乙班", "废切削液过滤回用", "cost",
                   "增设切削液过滤和浓度检测装置，切削液使用周期由1个月延长到3个月，减少危废处置量。",
                   "rewarded", 27_000, 1_000, "降本和环保效果兼具，采纳。"),
    SuggestionText("二车间焊接班", "焊接烟尘移动式收集罩", "safety",
                   "为流动焊接工位配备可移动的烟尘收集罩，焊接时跟随作业点，减少焊工吸入烟尘。",
                   "implemented", 0, 0, "改善作业环境，采纳实施。"),
    SuggestionText("设备维修班", "设备点检表电子化", "technology",
                   "用手机扫描设备二维码填写点检记录，异常情况自动推送维修班，取代纸质点检表。",
                   "adopted", reason="与设备管理系统升级一并实施。"),
    SuggestionText("质检班", "在线视觉检测替代人工目检", "technology",
                   "在包装工序前增设工业相机在线检测外观缺陷，减少人工目检的漏检。",
                   "rejected", reason="投资较大，测算回收期超过五年，暂不采纳，列入技改储备项目。"),
    SuggestionText("仓储物流班", "叉车充电错峰安排", "cost",
                   "叉车集中在夜间谷电时段充电，白天只补充充电，降低电费。",
                   "submitted"),
    SuggestionText("一车间甲班", "冲床加装双手按钮和光幕保护", "safety",
                   "老式冲床只有脚踏开关，建议加装双手操作按钮和安全光幕，防止压手事故。",
                   "submitted"),
    SuggestionText("动力班", "冷却塔风机变频改造", "cost",
                   "冷却塔风机改为变频控制，按水温自动调节转速，夜间和冬季可节电三成以上。",
                   "rejected", reason="现有风机明年整体更换，届时选用变频风机，本建议不再单独实施。"),
    SuggestionText("二车间装配班", "包装纸箱循环使用", "cost",
                   "与主要客户协商，厂内周转和送货使用可折叠周转箱，纸箱回收后再用于厂内周转。",
                   "submitted"),
)


@dataclass(frozen=True)
class BoxText:
    category: str
    text: str
    consent: bool = False
    answer: str = ""
    public: bool = False
    reply: str = ""  # the sender writes again after the answer
    overdue: bool = False


BOX_MESSAGES = (
    BoxText("welfare", "食堂的菜太咸了，油也多，能不能少放点盐和油？", True,
            "感谢您的意见。后勤部已要求食堂控制用盐用油，每周公布菜谱，欢迎继续监督。", True),
    BoxText("safety", "三号仓库门口的路灯坏了一个多月了，晚上下班很黑，容易出事。", True,
            "路灯已于本周更换，后勤部对厂区照明进行了全面检查，今后每月巡查一次。", True),
    BoxText("management", "班组长分配加班不公平，总是安排同几个人，希望公开加班安排。", False,
            "人力资源部已要求各班组每周公示加班安排；如仍有不公平的情况，可向部门负责人或工会反映。", True),
    BoxText("wages", "这个月工资条上的夜班津贴少算了两天，找谁核对？", False,
            "请带上考勤记录到人力资源部薪酬组核对，如确有差错，将在下月工资中补发。"),
    BoxText("rights", "怀孕以后被调到更累的岗位，不知道该怎么办。", False,
            "根据《女职工劳动保护特别规定》，企业不得安排孕期女职工从事禁忌从事的劳动。工会女职工委员会将与您所在"
            "部门沟通调整岗位，您可以用查询码继续留言说明情况。",
            reply="谢谢，已经调回原来的岗位了，但这个月的绩效被扣了，这样合理吗？"),
    BoxText("welfare", "宿舍洗衣机经常坏，能不能多装几台？", True,
            "已在每栋宿舍楼增加两台洗衣机，报修电话张贴在洗衣房门口。", True),
    BoxText("training", "希望多组织一些叉车证、电工证的培训，自己去考太贵了。", True),
    BoxText("other", "希望厂里的篮球场晚上能开灯，下了夜班也想打会儿球。"),
    BoxText("safety", "二车间有几个灭火器过期了，请安排检查更换。", overdue=True),
    BoxText("management", "倒班表经常临时调整，提前一天才通知，没法安排家里的事。", True),
)
