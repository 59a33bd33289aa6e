/**
 * A preload for a spawned `goldratio` (node --import, through NODE_OPTIONS): the host names the file
 * GOLDRATIO_TEST_HOSTS lists (`<address> <name>` lines, as /etc/hosts has them) resolve to their
 * address, read anew at each lookup; every other name goes to the system's resolver. It lets a test
 * make a name start resolving in the middle of a run, as a Compose service's name does once its
 * container exists, without writing the machine's /etc/hosts. Node's net reads `dns.lookup` at each
 * connection, so the driver's own connect goes through it; nothing of goldratio is replaced.
 */
import dns from 'node:dns';
import { readFileSync } from 'node:fs';

type Callback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

const system = dns.lookup;
const file = process.env.GOLDRATIO_TEST_HOSTS;

function listed(name: string): string | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [address, ...names] = line.trim().split(/\s+/);
    if (address !== undefined && names.includes(name)) return address;
  }
  return undefined;
}

function lookup(hostname: string, options: unknown, callback?: Callback): void {
  const address = listed(hostname);
  if (address === undefined) {
    (system as (...a: unknown[]) => void).call(dns, ...[hostname, options, callback].filter((a) => a !== undefined));
    return;
  }
  const done = (typeof options === 'function' ? options : callback) as Callback;
  const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
  const family = address.includes(':') ? 6 : 4;
  process.nextTick(() => (all ? done(null, [{ address, family }]) : done(null, address, family)));
}

(dns as { lookup: unknown }).lookup = lookup;
