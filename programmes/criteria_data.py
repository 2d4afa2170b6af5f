"""GB/T 19580-2012 卓越绩效评价准则: 7 categories, 23 scored items, 1000 points (SCORING.md).

Data, not code: loaded by a data migration as the default criteria set. Each category's x.x.1
overview item carries no points and is not scored.
"""

GB_T_19580_2012 = {
    "code": "GB/T 19580-2012",
    "name": "卓越绩效评价准则",
    "edition": 2012,
    "total_points": 1000,
    "categories": [
        (
            "4.1",
            "领导",
            "Leadership",
            110,
            [
                ("4.1.2", "高层领导的作用", "Role of senior leaders", 50),
                ("4.1.3", "组织治理", "Organisational governance", 30),
                ("4.1.4", "社会责任", "Social responsibility", 30),
            ],
        ),
        (
            "4.2",
            "战略",
            "Strategy",
            90,
            [
                ("4.2.2", "战略制定", "Strategy development", 40),
                ("4.2.3", "战略部署", "Strategy deployment", 50),
            ],
        ),
        (
            "4.3",
            "顾客与市场",
            "Customers and market",
            90,
            [
                ("4.3.2", "顾客和市场的了解", "Customer and market knowledge", 40),
                ("4.3.3", "顾客关系与顾客满意", "Customer relationships and satisfaction", 50),
            ],
        ),
        (
            "4.4",
            "资源",
            "Resources",
            130,
            [
                ("4.4.2", "人力资源", "Human resources", 60),
                ("4.4.3", "财务资源", "Financial resources", 15),
                ("4.4.4", "信息和知识资源", "Information and knowledge", 20),
                ("4.4.5", "技术资源", "Technology", 15),
                ("4.4.6", "基础设施", "Infrastructure", 10),
                ("4.4.7", "相关方关系", "Partner relationships", 10),
            ],
        ),
        (
            "4.5",
            "过程管理",
            "Process management",
            100,
            [
                ("4.5.2", "过程的识别与设计", "Process identification and design", 50),
                ("4.5.3", "过程的实施与改进", "Process implementation and improvement", 50),
            ],
        ),
        (
            "4.6",
            "测量、分析与改进",
            "Measurement, analysis and improvement",
            80,
            [
                ("4.6.2", "测量、分析和评价", "Measurement, analysis and evaluation", 40),
                ("4.6.3", "改进与创新", "Improvement and innovation", 40),
            ],
        ),
        (
            "4.7",
            "结果",
            "Results",
            400,
            [
                ("4.7.2", "产品和服务结果", "Product and service results", 80),
                ("4.7.3", "顾客与市场结果", "Customer and market results", 80),
                ("4.7.4", "财务结果", "Financial results", 80),
                ("4.7.5", "资源结果", "Resource results", 60),
                ("4.7.6", "过程有效性结果", "Process effectiveness results", 50),
                ("4.7.7", "领导方面的结果", "Leadership results", 50),
            ],
        ),
    ],
}

RESULT_CATEGORY = "4.7"


def load_criteria_set(apps, data: dict = GB_T_19580_2012):
    """Create the criteria set from ``data`` with the historical models of a migration."""
    CriteriaSet = apps.get_model("programmes", "CriteriaSet")
    CriteriaCategory = apps.get_model("programmes", "CriteriaCategory")
    CriteriaItem = apps.get_model("programmes", "CriteriaItem")
    criteria_set, created = CriteriaSet.objects.get_or_create(
        code=data["code"],
        defaults={
            "name": data["name"],
            "edition": data["edition"],
            "total_points": data["total_points"],
        },
    )
    if not created:
        return criteria_set
    for c_order, (code, name, name_en, points, items) in enumerate(data["categories"], start=1):
        category = CriteriaCategory.objects.create(
            criteria_set=criteria_set,
            code=code,
            name=name,
            name_en=name_en,
            points=points,
            order=c_order,
        )
        kind = "result" if code == RESULT_CATEGORY else "process"
        CriteriaItem.objects.bulk_create(
            CriteriaItem(
                category=category,
                code=i_code,
                name=i_name,
                name_en=i_name_en,
                points=i_points,
                kind=kind,
                order=i_order,
            )
            for i_order, (i_code, i_name, i_name_en, i_points) in enumerate(items, start=1)
        )
    return criteria_set
