// Starts bench/_discord-fake.ts in a worker thread: a worker does not inherit the tsx loader, so it registers it itself.
import { register } from 'tsx/esm/api';

register();
await import('./_discord-fake.ts');
