"""Sheets built the way officers' sheets look, for the import tests."""

import datetime
import random

from openpyxl import Workbook

from core import idnumber

HEADERS = ["序号", "姓名", "性别", "身份证号码", "手机号", "所在单位", "入会时间", "备注"]


def id_for(year, month, day, gender="F", seed=0):
    return idnumber.make(datetime.date(year, month, day), gender, rng=random.Random(seed))


def xlsx(path, rows, *, headers=HEADERS, title="城关镇中心学校教职工会员花名册"):
    """An .xlsx with a merged title row above the header, as most rosters have."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    # ID numbers are text in a well-kept sheet; a test that wants a number writes an int.
    workbook.save(path)
    return path
