from django.db import models


class SchoolStage(models.TextChoices):
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中"
    COMPLETE = "complete", "完全中学（初中+高中）"
    NINE_YEAR = "nine_year", "九年一贯制"
    TWELVE_YEAR = "twelve_year", "十二年一贯制"


class Grade(models.TextChoices):
    G1 = "g1", "一年级"
    G2 = "g2", "二年级"
    G3 = "g3", "三年级"
    G4 = "g4", "四年级"
    G5 = "g5", "五年级"
    G6 = "g6", "六年级"
    G7 = "g7", "七年级（初一）"
    G8 = "g8", "八年级（初二）"
    G9 = "g9", "九年级（初三）"
    G10 = "g10", "高一"
    G11 = "g11", "高二"
    G12 = "g12", "高三"


class Track(models.TextChoices):
    PILOT = "pilot", "南通班（试点班）"
    CONTROL = "control", "对照班"
    REGULAR = "regular", "普通班"
    ONE_PLUS_THREE = "one_plus_three", "“1+3”试点班"


# Classes counted as pilot classes (education.pilot_classes) and comparable with control classes.
PILOT_TRACKS = (Track.PILOT, Track.ONE_PLUS_THREE)


class Subject(models.TextChoices):
    CHINESE = "chinese", "语文"
    MATH = "math", "数学"
    ENGLISH = "english", "英语"
    PHYSICS = "physics", "物理"
    CHEMISTRY = "chemistry", "化学"
    BIOLOGY = "biology", "生物"
    POLITICS = "politics", "思想政治"
    HISTORY = "history", "历史"
    GEOGRAPHY = "geography", "地理"
    TOTAL = "total", "总分"


class DonorKind(models.TextChoices):
    ORGANIZATION = "organization", "机关团体"
    ENTERPRISE = "enterprise", "企业"
    INDIVIDUAL = "individual", "个人"
    OTHER = "other", "其他"


class GrantKind(models.TextChoices):
    SCHOLARSHIP = "scholarship", "奖学"
    TEACHING_AWARD = "teaching_award", "奖教"
    BURSARY = "bursary", "助学"


class RecipientKind(models.TextChoices):
    STUDENT = "student", "学生"
    TEACHER = "teacher", "教师"
    SCHOOL = "school", "学校"
