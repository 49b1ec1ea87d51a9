/** Import messages (upload, validation, commit). */
import { defineMessages } from './define';

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
});
