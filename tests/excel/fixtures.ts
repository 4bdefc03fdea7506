/** Messy import files made by the tests themselves, as villages send them. */
import ExcelJS from 'exceljs';
import { makeId } from '../helpers.ts';

export const HEAD = makeId('1970-05-06', '男', 31);
export const WIFE = makeId('1972-08-09', '女', 31);
export const SON = makeId('2001-02-03', '男', 32);
export const OTHER = makeId('1980-01-01', '女', 33);

/** A village sheet as people make them: two title rows, a merged two-row header, a 合计 row, a footer. */
export async function messyWorkbook(file: string, opts: { numericId?: boolean } = {}) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('青山村花名册');
  ws.addRow(['青山村 防止返贫监测对象家庭成员花名册']);
  ws.mergeCells('A1:H1');
  ws.addRow(['填报单位：青山村村委会', null, null, null, null, '填报时间：2026年11月']);
  ws.addRow(['序号', '户信息', null, '成员信息', null, null, null, '保障']);
  ws.addRow([null, '行政村', '户编号', '姓 名', '身份证号码', '与户主关系', '劳动能力', '是否参加大病保险']);
  ws.mergeCells('A3:A4');
  ws.mergeCells('B3:C3');
  ws.mergeCells('D3:G3');
  ws.addRow([1, '青山村', 'QS-001', '王建国', HEAD, '户主', '普通劳动力', '是']);
  ws.addRow([
    2,
    '青山村',
    'QS-001',
    '李秀英　',
    WIFE.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)),
    ' 配偶 ',
    '普通劳动力',
    '√',
  ]);
  ws.addRow([3, '石桥村', 'SQ-009', '赵丽', OTHER, '户主', '技能劳动力', '否']);
  ws.addRow([
    4,
    '青山村',
    'QS-001',
    '王小明',
    opts.numericId ? Number(SON.slice(0, 17)) : SON,
    '之子',
    '普通劳动力',
    '否',
  ]);
  ws.addRow([5, '青山村', 'QS-001', '王建国', HEAD, '户主', '普通劳动力', '是']);
  ws.addRow(['合计', null, null, '5人']);
  ws.addRow(['填报人：张三    联系电话：13800001111']);
  await wb.xlsx.writeFile(file);
}
