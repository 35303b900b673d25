export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export function adminUrl(url: string): string {
  return withDatabase(url, 'postgres');
}
