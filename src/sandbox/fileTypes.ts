// Sandbox: what a stored file is served as — MIME type, Feishu's upload file_type, Content-Disposition.

const MIME: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  csv: 'text/csv',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ppt: 'application/vnd.ms-powerpoint',
  pdf: 'application/pdf',
  txt: 'text/plain',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  mp4: 'video/mp4',
  opus: 'audio/opus',
};

const FEISHU_FILE_TYPE: Record<string, string> = {
  xls: 'xls', xlsx: 'xls', csv: 'xls', doc: 'doc', docx: 'doc', ppt: 'ppt', pptx: 'ppt', pdf: 'pdf', mp4: 'mp4', opus: 'opus',
};

const extOf = (fileName: string) => /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';

export function mimeOf(fileName: string): string {
  return MIME[extOf(fileName)] ?? 'application/octet-stream';
}

/** The `file_type` Feishu's upload API would have been given for this name. */
export function feishuFileTypeOf(fileName: string): string {
  return FEISHU_FILE_TYPE[extOf(fileName)] ?? 'stream';
}

/** RFC 6266/5987: a header value must be Latin-1, so the UTF-8 name goes percent-encoded in both forms. */
export function contentDisposition(fileName: string, kind: 'attachment' | 'inline' = 'attachment'): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${encoded}"; filename*=UTF-8''${encoded}`;
}
