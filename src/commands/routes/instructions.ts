// Card routes of this feature: action name → typed command (see ../card-route.ts).
import type { CardRoute } from '../card-route.ts';

export const instructionRoutes: Record<string, CardRoute> = {};
