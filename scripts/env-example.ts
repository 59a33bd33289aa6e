/** Writes .env.example from the spec in src/config.ts (`npm run env:example`). */
import { writeFileSync } from 'node:fs';
import { envExample } from '../src/config.ts';

writeFileSync(new URL('../.env.example', import.meta.url), envExample());
