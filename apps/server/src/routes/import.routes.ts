import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import { api, msg } from '@tuopin/domain';
import type { Services } from '../services/container';
import { toImportInfo } from '../services/import.service';
import { appError, detail, fieldError } from '../errors';
import { isBadText } from '../http/validation';
import { route } from '../http/route';
import type { UploadedFile } from '../import/source';
import { problemsWorkbook, templateCsv, templateWorkbook } from '../import/workbook';

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
/** Longest file name kept with an import (as file systems allow). */
const MAX_FILE_NAME = 255;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;

const SHEET_TITLES: Record<string, string> = { households: '户信息', members: '成员信息', income: '收入信息' };

export function importRoutes(app: FastifyInstance, s: Services) {
  let template: Promise<Buffer> | null = null;
  route(app, s.auth, api.importTemplate, async ({ reply }) => {
    template ??= templateWorkbook();
    reply.type(XLSX).header('content-disposition', attachment('建档立卡导入模板.xlsx'));
    return (await template) as unknown as string;
  });
  route(app, s.auth, api.importTemplateCsv, async ({ params, reply }) => {
    reply.type('text/csv; charset=utf-8').header('content-disposition', attachment(`${SHEET_TITLES[params.sheet]}.csv`));
    return templateCsv(params.sheet);
  });

  route(app, s.auth, api.importCreate, async ({ actor, request }) => {
    if (!request.isMultipart()) throw appError('import.notMultipart');
    const tmp = path.join(s.config.dataDir, 'imports', `upload-${crypto.randomUUID()}`);
    await fs.promises.mkdir(tmp, { recursive: true });
    const files: UploadedFile[] = [];
    try {
      for await (const part of request.files()) {
        // The edge check of text (app.ts) for the parts of a multipart body: file and field names.
        const bad = isBadText(part.fieldname) ? `body.files.${files.length}.fieldname` : isBadText(part.filename) ? `body.files.${files.length}.filename` : null;
        const long = !bad && part.filename.length > MAX_FILE_NAME ? `body.files.${files.length}.filename` : null;
        if (bad || long) {
          part.file.resume();
          throw bad ? fieldError(bad, 'import.fileNameBadText') : fieldError(long!, 'import.fileNameTooLong', { max: MAX_FILE_NAME });
        }
        const p = path.join(tmp, String(files.length));
        await pipeline(part.file, fs.createWriteStream(p));
        if (part.file.truncated) throw appError('import.fileTooLarge', { name: part.filename, mb: MAX_UPLOAD_BYTES / 1024 / 1024 });
        files.push({ name: part.filename || `文件${files.length + 1}`, path: p, bytes: (await fs.promises.stat(p)).size });
      }
      if (files.length === 0) throw appError('import.noFile').with({ details: [detail('files', msg('import.chooseFile'))] });
      const id = await s.imports.create(actor, files);
      return toImportInfo((await s.imports.get(actor, id, 0)).row);
    } finally {
      await fs.promises.rm(tmp, { recursive: true, force: true });
    }
  });

  route(app, s.auth, api.importList, async ({ actor }) => (await s.imports.list(actor)).map(toImportInfo));

  route(app, s.auth, api.importGet, async ({ actor, params }) => {
    const { row, problems } = await s.imports.get(actor, params.id);
    return {
      import: toImportInfo(row),
      problems: problems.map((p) => ({ sheet: SHEET_TITLES[p.sheet] ?? p.sheet, row: p.row_no, column: p.column_name, severity: p.severity as 'error' | 'warning', message: p.message,
        code: p.code, params: p.params,
      })),
    };
  });

  route(app, s.auth, api.importProblems, async ({ actor, params, reply }) => {
    const { problems } = await s.imports.get(actor, params.id, 50_000);
    reply.type(XLSX).header('content-disposition', attachment(`导入问题-${params.id}.xlsx`));
    return problemsWorkbook((async function* () {
      yield* problems;
    })()) as unknown as string;
  });

  route(app, s.auth, api.importCommit, async ({ actor, params }) => {
    await s.imports.commit(actor, params.id);
    return toImportInfo((await s.imports.get(actor, params.id, 0)).row);
  });

  route(app, s.auth, api.importRevalidate, async ({ actor, params }) => {
    await s.imports.revalidate(actor, params.id);
    return toImportInfo((await s.imports.get(actor, params.id, 0)).row);
  });
}
