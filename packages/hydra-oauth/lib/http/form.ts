import bodyParser from 'body-parser';
import { BadRequestError, BodyTooLargeError, UnsupportedFormError } from '../flows/errors';
import type { CoreRequest, CoreResponse } from './types';

export type FormFields = Record<string, string | string[]>;

/**
 * Reads an `application/x-www-form-urlencoded` body, capped at `limit` bytes. A host that
 * parsed the body already (Express with its own parser) is trusted for the parse, not for
 * the size: its own limit applies there.
 */
export function createFormReader(limit: number) {
  const parse = bodyParser.urlencoded({ extended: false, limit, parameterLimit: 100 });

  return async function readForm(req: CoreRequest, res: CoreResponse): Promise<FormFields> {
    const contentType = req.headers['content-type'] ?? '';
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType)) {
      // Said plainly, rather than failing later as a missing CSRF token.
      throw new UnsupportedFormError(contentType.split(';')[0] || 'no content type');
    }
    if (req.body === undefined || isEmptyObject(req.body)) {
      await new Promise<void>((resolve, reject) =>
        parse(req as never, res as never, (error?: unknown) =>
          error ? reject(translateParseError(error, limit)) : resolve(),
        ),
      );
    }
    return normaliseFields(req.body);
  };
}

function translateParseError(error: unknown, limit: number): Error {
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.too.large') return new BodyTooLargeError(limit);
  return new BadRequestError('the form could not be read');
}

function normaliseFields(body: unknown): FormFields {
  if (typeof body !== 'object' || body === null) return {};
  const fields: FormFields = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value)) fields[name] = value.filter((v) => typeof v === 'string');
  }
  return fields;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/** One field's value; a repeated field or a missing one is `undefined`. */
export function singleField(fields: FormFields, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' ? value : undefined;
}

/** All values of a field that may repeat (ticked checkboxes). */
export function listField(fields: FormFields, name: string): string[] {
  const value = fields[name];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}
