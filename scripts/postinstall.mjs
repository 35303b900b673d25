// Runs after `npm install`: generates the Prisma client (offline-safe).
import './generate.mjs';
