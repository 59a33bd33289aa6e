/**
 * A tolerant multipart/form-data parser for the fakes. grammY writes part headers without spaces
 * (`content-disposition:form-data;name="x";filename=photo.png`, filename unquoted), which Node's
 * `Request.formData()` rejects, so we split the body ourselves.
 */

export interface MultipartField {
  readonly name: string;
  readonly value: string;
}

export interface MultipartFile {
  readonly name: string;
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export interface MultipartBody {
  readonly fields: readonly MultipartField[];
  readonly files: readonly MultipartFile[];
}

/** The boundary from a Content-Type header, or undefined when it is not multipart. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

/** Parameter `key` of a header value like `form-data; name="a"; filename=b.png` (quoted or not). */
function headerParam(value: string, key: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i');
  const m = re.exec(value);
  if (m === null) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]?.trim();
}

export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const fields: MultipartField[] = [];
  const files: MultipartFile[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    // `--boundary--` closes the body.
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break;
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    // The part's content ends before the CRLF that precedes the next delimiter.
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    const part = body.subarray(start, end);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = new Map<string, string>();
      for (const line of part.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      const content = part.subarray(headerEnd + 4);
      const disposition = headers.get('content-disposition') ?? '';
      const name = headerParam(disposition, 'name') ?? '';
      const filename = headerParam(disposition, 'filename');
      if (filename !== undefined) {
        files.push({ name, filename, contentType: headers.get('content-type') ?? 'application/octet-stream', bytes: Buffer.from(content) });
      } else {
        fields.push({ name, value: content.toString('utf8') });
      }
    }
    pos = next;
  }
  return { fields, files };
}
