// Sandbox: a minimal multipart/form-data reader for the upload APIs (the SDK posts files through
// axios' FormData). Enough for fields and files; no streaming — uploads here are small test files.

export interface MultipartFile {
  field: string;
  filename: string;
  contentType?: string;
  data: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: MultipartFile[];
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2])?.trim() : undefined;
}

function parseDisposition(headerBlock: string): { name?: string; filename?: string; contentType?: string } {
  const out: { name?: string; filename?: string; contentType?: string } = {};
  for (const line of headerBlock.split('\r\n')) {
    const [rawKey, ...rest] = line.split(':');
    const key = rawKey?.trim().toLowerCase();
    const value = rest.join(':').trim();
    if (key === 'content-disposition') {
      out.name = /\bname="([^"]*)"/i.exec(value)?.[1];
      out.filename = /\bfilename="([^"]*)"/i.exec(value)?.[1];
    } else if (key === 'content-type') {
      out.contentType = value;
    }
  }
  return out;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const result: MultipartBody = { fields: {}, files: [] };
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const partStart = pos + delimiter.length;
    // "--" after the delimiter closes the body.
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Part = CRLF headers CRLF CRLF content CRLF
    const part = body.subarray(partStart + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const meta = parseDisposition(part.subarray(0, split).toString('utf8'));
      const content = part.subarray(split + 4);
      if (meta.name !== undefined) {
        // axios' FormData sends a Buffer without a filename but with a Content-Type: still a file.
        if (meta.filename !== undefined || meta.contentType !== undefined) {
          result.files.push({ field: meta.name, filename: meta.filename ?? '', contentType: meta.contentType, data: Buffer.from(content) });
        } else {
          result.fields[meta.name] = content.toString('utf8');
        }
      }
    }
    pos = next;
  }
  return result;
}
