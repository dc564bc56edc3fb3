// Imported first by main.ts: zod must be in jitless mode before any schema exists — including
// those src/shared defines at module load — or it probes `new Function`, which the CSP forbids.
import { z } from 'zod';

z.config({ jitless: true });
