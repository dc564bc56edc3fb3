// Imported first by every page's main.ts: zod must be in jitless mode before any schema exists —
// including those src/shared defines at module load — or it probes `new Function`, which the CSP
// forbids. The one place the pages configure zod.
import { z } from 'zod/mini';

z.config({ jitless: true });
