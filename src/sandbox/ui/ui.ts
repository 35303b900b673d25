// Sandbox: serves the web UI of the local Feishu sandbox — GET / (the page) and GET /sandbox/ui/* (its
// static files). The page is static HTML + CSS + browser ES modules read from ./public; no build step.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/** Only these file types are served; anything else (e.g. the .d.ts next to card-render.js) is a 404. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

export interface SandboxUiOptions {
  /** Directory of the static files (tests may point elsewhere). Defaults to ./public next to this file. */
  publicDir?: string;
}

export function registerSandboxUi(app: FastifyInstance, opts: SandboxUiOptions = {}): void {
  const root = path.resolve(opts.publicDir ?? PUBLIC_DIR);

  app.get('/', async (_req, reply) => sendStatic(reply, root, 'index.html'));

  app.get<{ Params: { '*': string } }>('/sandbox/ui/*', async (req, reply) => sendStatic(reply, root, req.params['*']));
}

/** Resolves `relative` inside `root`, refusing traversal, dotfiles and unknown file types. */
function resolveStatic(root: string, relative: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, decoded);
  if (!file.startsWith(root + path.sep)) return null;
  if (path.relative(root, file).split(path.sep).some((part) => part.startsWith('.'))) return null;
  if (!(path.extname(file) in CONTENT_TYPES) || file.endsWith('.d.ts')) return null;
  return file;
}

async function sendStatic(reply: FastifyReply, root: string, relative: string): Promise<FastifyReply> {
  const file = resolveStatic(root, relative);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) return reply.code(404).type('text/plain; charset=utf-8').send('未找到该文件');
  // Read on every request: the UI is a development tool and edits should show on reload.
  const body = await readFile(file);
  return reply
    .type(CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream')
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .send(body);
}
