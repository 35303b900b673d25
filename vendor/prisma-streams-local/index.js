// `prisma dev` imports this to run its local streams server; econ-dispatch uses a real PostgreSQL.
export async function startLocalDurableStreamsServer() {
  throw new Error('`prisma dev` needs Node 22 and is not used by econ-dispatch: set DATABASE_URL to a PostgreSQL server instead.');
}
