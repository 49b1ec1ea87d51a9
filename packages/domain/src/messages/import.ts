/** Import messages (upload, validation, commit). */
import { defineMessages, type Localized } from './define';

export const importMessages = defineMessages('import', {
  'import.notFound': { status: 404, kind: 'NOT_FOUND', zh: '导入记录不存在或不在您的管辖范围内', en: 'The import does not exist or is outside your region' },
  'import.alreadyCommitted': { status: 409, kind: 'CONFLICT', zh: '该文件已经导入', en: 'This file has already been imported' },
  'import.committing': { status: 409, kind: 'CONFLICT', zh: '该文件正在导入，请勿重复提交', en: 'This file is being imported; do not submit it again' },
  'import.notValidated': { status: 409, kind: 'CONFLICT', zh: '只有校验通过且没有错误的文件才能导入', en: 'Only a file that was validated without errors can be imported' },
  'import.committedNoRevalidate': { status: 409, kind: 'CONFLICT', zh: '该文件已经导入，不能重新校验', en: 'This file has already been imported and cannot be validated again' },
  'import.busy': { status: 409, kind: 'CONFLICT', zh: '该文件正在校验或导入，请稍后再试', en: 'This file is being validated or imported; try again later' },
  'import.notMultipart': { status: 400, kind: 'VALIDATION', zh: '请以 multipart/form-data 上传文件（字段名 files）', en: 'Upload the files as multipart/form-data (field name files)' },
  'import.fileNameBadText': { status: 400, kind: 'VALIDATION', zh: '文件名包含不允许的字符（空字符或不完整的 Unicode 字符）', en: 'The file name contains characters that are not allowed (a NUL character or an incomplete Unicode character)' },
  'import.fileNameTooLong': { status: 400, kind: 'VALIDATION', zh: '文件名不能超过 {max} 个字符', en: 'The file name must have at most {max} characters' },
  'import.fileTooLarge': { status: 413, kind: 'VALIDATION', zh: '文件“{name}”超过 {mb} MB', en: 'The file “{name}” is larger than {mb} MB' },
  'import.noFile': { status: 400, kind: 'VALIDATION', zh: '没有收到文件', en: 'No file was received' },
  'import.chooseFile': { status: 400, kind: 'VALIDATION', zh: '请选择要上传的文件', en: 'Choose the files to upload' },

  // ---- problems of an uploaded file (import_problems.code / params; the Chinese text stays in message) ----
  // a problem of a named file: the file's name before the problem (nested)
  'import.inFile': { zh: '{file}：{problem}', en: '{file}: {problem}' },
  // cells (registry/columns.ts parseCell); {column} is the column's header in both languages
  'import.cell.required': { zh: '不能为空', en: 'Required' },
  'import.cell.tooLong': { zh: '内容过长（{length} 个字符，最多 {max} 个）', en: 'Too long ({length} characters, at most {max})' },
  'import.cell.badText': { zh: '包含不允许的字符（空字符或不完整的 Unicode 字符）', en: 'Contains characters that are not allowed (a NUL character or an incomplete Unicode character)' },
  'import.cell.notInTable': { zh: '“{value}”不是有效的{column}，可选：{options}', en: '“{value}” is not a valid {column}; choose one of: {options}' },
  'import.cell.notInTableItem': { zh: '“{value}”不是有效的{column}', en: '“{value}” is not a valid {column}' },
  'import.cell.notNumber': { zh: '“{value}”不是数字', en: '“{value}” is not a number' },
  'import.cell.notInteger': { zh: '“{value}”应为整数', en: '“{value}” must be a whole number' },
  'import.cell.notBoolean': { zh: '“{value}”应填“是”或“否”', en: '“{value}”: fill in yes or no' },
  'import.cell.notDate': { zh: '“{value}”不是日期（应为 YYYY-MM-DD）', en: '“{value}” is not a date (YYYY-MM-DD)' },
  // header rows (registry/columns.ts matchHeaders)
  'import.header.duplicate': { zh: '表头“{header}”重复（第 {first} 列和第 {second} 列）', en: 'The header “{header}” appears twice (columns {first} and {second})' },
  'import.header.unknown': { zh: '第 {index} 列表头“{header}”不是模板中的列', en: 'The header “{header}” of column {index} is not a column of the template' },
  'import.header.missing': { zh: '缺少必填列“{header}”', en: 'The required column “{header}” is missing' },
  // files (import/source.ts, import/csv.ts); {sheet} is the sheet's title in both languages
  'import.file.none': { zh: '没有上传文件', en: 'No file was uploaded' },
  'import.file.empty': { zh: '文件是空的', en: 'The file is empty' },
  'import.file.xls': { zh: '不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传', en: 'Old .xls files are not supported; save the file as .xlsx in Excel and upload it again' },
  'import.file.xlsxTooLarge': { zh: 'XLSX 文件超过 {mb} MB，请拆分或改用 CSV', en: 'The XLSX file is larger than {mb} MB; split it or use CSV' },
  'import.file.brokenXlsx': { zh: '文件已损坏或不是有效的 XLSX 电子表格', en: 'The file is damaged or not a valid XLSX workbook' },
  'import.file.notSpreadsheet': { zh: '不是电子表格文件（应为模板格式的 .xlsx，或 UTF-8/GBK 编码的 .csv）', en: 'Not a spreadsheet (use the template as .xlsx, or .csv in UTF-8 or GBK)' },
  'import.file.unknownSheet': { zh: '工作表“{name}”不是模板中的表（应为 户信息、成员信息 或 收入信息）', en: 'The worksheet “{name}” is not a sheet of the template (households, members or income)' },
  'import.file.formula': { zh: '单元格 {address} 含有公式，请粘贴为数值', en: 'Cell {address} contains a formula; paste it as values' },
  'import.file.mergedCells': { zh: '含有合并单元格 {range}，请取消合并后每个单元格单独填写', en: 'Merged cells {range}: unmerge them and fill in every cell' },
  'import.file.csvSyntax': { zh: 'CSV 文件格式错误：{reason}', en: 'The CSV file is malformed: {reason}' },
  'import.file.csvHeaderSyntax': { zh: 'CSV 文件格式错误，无法读取表头：{reason}', en: 'The CSV file is malformed; its header cannot be read: {reason}' },
  'import.file.csvHeaderUnreadable': { zh: 'CSV 文件格式错误，无法读取表头', en: 'The CSV file is malformed; its header cannot be read' },
  'import.file.unknownHeader': { zh: '表头不符合模板：无法识别为户信息、成员信息或收入信息（第一行为：{header}…）', en: 'The header does not fit the template: not recognised as the households, members or income sheet (the first row: {header}…)' },
  'import.file.sheetTwice': { zh: '“{sheet}”出现了两次（另一份在 {other}）', en: '“{sheet}” is given twice (the other one in {other})' },
  'import.file.noSheets': { zh: '文件中没有可导入的工作表', en: 'The file has no sheet that can be imported' },
  'import.csv.unclosedQuote': { zh: '第 {row} 行：引号没有闭合', en: 'Row {row}: a quote is not closed' },
  'import.csv.unclosedOrLong': { zh: '第 {row} 行：引号没有闭合，或一行超过 {million} 百万字符', en: 'Row {row}: a quote is not closed, or a row is longer than {million} million characters' },
  // checks of the whole file against itself and the registry (set-based SQL in repositories/import.repository.ts)
  'import.check.householdDuplicate': { zh: '户编号 {householdNo} 在户信息表中重复（首次出现在第 {firstRow} 行）', en: 'The household number {householdNo} appears twice in the household sheet (first in row {firstRow})' },
  'import.check.villageUnknown': { zh: '村代码 {villageCode} 不存在、不是村级或不在您的管辖范围内', en: 'The village code {villageCode} does not exist, is not a village or is outside your region' },
  'import.check.householdOtherTownship': { zh: '户编号 {householdNo} 已被本县其他乡镇（不在您的管辖范围内）的农户使用，同一县内户编号不能重复；请核对户编号，或由县级用户导入', en: 'The household number {householdNo} is used by a household of another township of the county (outside your region); household numbers are unique within a county: check the number, or have a county user import the file' },
  'import.check.statusDuplicate': { zh: '户编号 {householdNo} 的 {year} 年状态重复', en: 'The status of household {householdNo} for {year} is given twice' },
  'import.check.idDuplicate': { zh: '证件号码 {idNumber} 在成员信息表中重复（首次出现在第 {firstRow} 行）', en: 'The ID number {idNumber} appears twice in the member sheet (first in row {firstRow})' },
  'import.check.householdUnknown': { zh: '户编号 {householdNo} 在户信息表和系统中都不存在（或不在您的管辖范围内）', en: 'The household number {householdNo} is neither in the household sheet nor in the registry (or it is outside your region)' },
  'import.check.idTaken': { zh: '证件号码 {idNumber} 已登记在其他农户中，同一证件号码只能属于一户；成员迁移请在原户办理迁出', en: 'The ID number {idNumber} is registered in another household; an ID number belongs to one household only (to move a member, record the move-out in the old household)' },
  'import.check.noHead': { zh: '户编号 {householdNo} 没有户主（成员信息表和系统中都没有与户主关系为“户主”的成员）', en: 'The household {householdNo} has no head (no member with the relation “head”, neither in the member sheet nor in the registry)' },
  'import.check.incomeDuplicate': { zh: '户编号 {householdNo} 的 {year} 年收入重复', en: 'The income of household {householdNo} for {year} is given twice' },
  'import.check.monitoredEnd': { zh: '户编号 {householdNo} 是监测对象（{identifiedOn} 纳入），文件中为“否”；结束监测须办理风险消除程序', en: 'The household {householdNo} is monitored (since {identifiedOn}) but the file says no; monitoring ends only through the risk-elimination procedure' },
  'import.check.eliminatedReimport': { zh: '户编号 {householdNo} 已于 {eliminatedOn} 办理风险消除，不能再导入为 {year} 年的监测对象；需要重新纳入监测的，请发起识别程序', en: 'The risk of household {householdNo} was eliminated on {eliminatedOn}; it cannot be imported as monitored in {year} (start an identification procedure to monitor it again)' },

  // ---- the import's state (imports.message_code / message_params) and its runs' progress (runs.message_code) ----
  'import.state.reading': { zh: '正在读取文件', en: 'Reading the files' },
  'import.state.filesGone': { zh: '上传的文件已不在服务器上，请重新上传', en: 'The uploaded files are no longer on the server; upload them again' },
  'import.state.noRows': { zh: '文件中没有数据行', en: 'The files have no data rows' },
  'import.state.errors': { zh: '发现 {errors} 个错误，请修改后重新上传；没有写入任何数据', en: '{errors} errors found; correct them and upload again. Nothing was written' },
  'import.state.validated': { zh: '校验通过，可以导入', en: 'Validation passed; the file can be imported' },
  'import.state.csvSyntax': { zh: 'CSV 文件格式错误：{reason}；没有写入任何数据', en: 'The CSV file is malformed: {reason}. Nothing was written' },
  'import.state.parserFailed': { zh: '导入文件过大或格式异常：读取时超出了允许的内存（{mb} MB）或异常中止，没有写入任何数据。请将文件拆分为较小的文件（或改用 CSV）后重新上传', en: 'The file is too large or malformed: reading it exceeded the memory allowed ({mb} MB) or broke off. Nothing was written. Split it into smaller files (or use CSV) and upload again' },
  'import.state.requeued': { zh: '等待重新校验', en: 'Waiting to be validated again' },
  'import.state.writing': { zh: '正在写入', en: 'Writing' },
  'import.state.validateInterrupted': { zh: '校验被中断（服务器或数据库重启），没有写入任何数据；请点击“重试”重新校验', en: 'The validation was interrupted (server or database restarted); nothing was written. Click “Retry” to validate again' },
  'import.state.validateFailed': { zh: '校验时发生内部错误，没有写入任何数据', en: 'An internal error occurred during validation; nothing was written' },
  'import.state.commitInterrupted': { zh: '导入被中断（服务器或数据库重启），已全部回滚，没有写入任何数据；请点击“重试”（重新校验后导入）', en: 'The import was interrupted (server or database restarted) and rolled back; nothing was written. Click “Retry” (it validates again, then imports)' },
  'import.state.commitFailed': { zh: '导入失败，已全部回滚，没有写入任何数据', en: 'The import failed and was rolled back; nothing was written' },
  'import.state.staleStaging': {
    zh: '待写入的数据与校验结果不一致（校验时 {households} 户、{members} 名成员、{income} 条收入，现在暂存 {nowHouseholds} 户、{nowMembers} 名成员、{nowIncome} 条收入，可能因数据库重启而丢失），没有写入任何数据；请重新校验后再导入',
    en: 'The data to write differs from what was validated ({households} households, {members} members, {income} income records then; {nowHouseholds}, {nowMembers} and {nowIncome} staged now, possibly lost in a database restart); nothing was written. Validate again, then import',
  },
  'import.validatingSheet': { zh: '正在校验“{sheet}”', en: 'Validating “{sheet}”' },
  'import.comparing': { zh: '正在比对系统中已有数据', en: 'Comparing with the registry' },
  'import.committingRecords': { zh: '正在写入监测记录', en: 'Writing the monitoring records' },
  'import.committed': { zh: '导入完成', en: 'Import finished' },
  'import.validated': { zh: '校验通过', en: 'Validation passed' },
  'import.validatedCommitting': { zh: '校验通过，正在导入', en: 'Validation passed, importing' },
  'import.invalid': { zh: '发现 {errors} 个错误', en: '{errors} errors found' },
  'import.notCommitting': { zh: '该导入不在待写入状态', en: 'The import is not waiting to be written' },
});

/** The sheets' titles in both languages (the `{sheet}` param of the import messages). */
export const SHEET_LABELS = {
  households: { zh: '户信息', en: 'Households' },
  members: { zh: '成员信息', en: 'Members' },
  income: { zh: '收入信息', en: 'Income' },
} as const satisfies Record<string, Localized>;
